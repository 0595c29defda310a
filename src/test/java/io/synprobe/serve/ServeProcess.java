package io.synprobe.serve;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real {@code synprobe serve} process on 127.0.0.1 (a free port), killed by pid on close. */
final class ServeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Process process;
    final List<String> stderr = new CopyOnWriteArrayList<>();
    private int port = -1;

    private ServeProcess(Process process) {
        this.process = process;
    }

    static List<String> command(String... args) {
        return command(List.of(), args);
    }

    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(List.of(io.synprobe.testutil.Jvm.JAVA, io.synprobe.testutil.Jvm.NATIVE_ACCESS,
                "-XX:+UseSerialGC", "-Xmx256m"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.synprobe.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts serve with these arguments (plus --listen 127.0.0.1:0) and waits until it listens. */
    static ServeProcess start(String... args) throws IOException, InterruptedException {
        return start(List.of(), java.util.Map.of(), args);
    }

    static ServeProcess start(java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        return start(List.of(), env, args);
    }

    /** The same with JVM options and more environment variables. */
    static ServeProcess start(List<String> jvmOptions, java.util.Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = command(jvmOptions, "serve", "--listen", "127.0.0.1:0");
        cmd.addAll(List.of(args));
        return launch(cmd, env);
    }

    /** Runs this exact command line (serve with --listen 127.0.0.1:0) and waits until it listens. */
    static ServeProcess launch(List<String> cmd, java.util.Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        ServeProcess s = new ServeProcess(p);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    System.out.println("[serve] " + line);
                    s.stderr.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "serve-stderr");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && s.port < 0) {
            for (String line : s.stderr) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) s.port = Integer.parseInt(m.group(1));
            }
            if (!p.isAlive() && s.port < 0) {
                Thread.sleep(200);
                s.close();
                throw new IllegalStateException("serve exited with " + p.exitValue() + ": " + s.stderr);
            }
            Thread.sleep(50);
        }
        if (s.port < 0) {
            s.close();
            throw new IllegalStateException("serve did not start listening: " + s.stderr);
        }
        return s;
    }

    int port() {
        return port;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    record Response(int status, String body) {
    }

    Response get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    /** The value of an unlabelled sample, or of the first sample whose labels contain {@code labels}; NaN when absent. */
    static double sample(String exposition, String name, String labels) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) continue;
            String rest = line.substring(name.length());
            if (!(rest.startsWith(" ") || rest.startsWith("{"))) continue;
            if (labels != null && !rest.contains(labels)) continue;
            return Double.parseDouble(rest.substring(rest.lastIndexOf(' ') + 1));
        }
        return Double.NaN;
    }

    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
    }

    /** Waits (bounded) for a stderr line containing {@code text}. */
    boolean awaitLog(String text, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (stderr.stream().anyMatch(l -> l.contains(text))) return true;
            Thread.sleep(50);
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
