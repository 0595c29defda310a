package io.synprobe.serve;

import io.synprobe.target.UsageException;

/** A serve config that cannot be used; the message is {@code FILE:LINE: what is wrong}. */
public final class ConfigException extends UsageException {
    private final int line;

    public ConfigException(String file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
