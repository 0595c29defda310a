package io.synprobe.target;

/** Bad input from the user: the message names the offending token. The CLI maps it to exit code 2. */
public class UsageException extends IllegalArgumentException {
    public UsageException(String message) {
        super(message);
    }
}
