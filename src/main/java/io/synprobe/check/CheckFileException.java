package io.synprobe.check;

import io.synprobe.target.UsageException;

/** A check file that cannot be run; the message is {@code FILE:LINE: what is wrong}. */
public final class CheckFileException extends UsageException {
    private final int line;

    public CheckFileException(String file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
