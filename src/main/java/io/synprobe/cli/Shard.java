package io.synprobe.cli;

import io.synprobe.target.UsageException;

/** "--shard 2/4": the second of four disjoint parts (0-based index internally). */
record Shard(int index, int count) {
    static final Shard WHOLE = new Shard(0, 1);

    static Shard parse(String spec) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})/(\\d{1,6})").matcher(spec.trim());
        if (!m.matches()) throw new UsageException("invalid --shard '" + spec + "' (I/N, e.g. 1/4)");
        int i = Integer.parseInt(m.group(1)), n = Integer.parseInt(m.group(2));
        if (n < 1 || i < 1 || i > n) throw new UsageException("invalid --shard '" + spec + "' (1 <= I <= N)");
        return new Shard(i - 1, n);
    }

    @Override
    public String toString() {
        return (index + 1) + "/" + count;
    }
}
