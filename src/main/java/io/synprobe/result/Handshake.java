package io.synprobe.result;

/**
 * What a full handshake (--handshake full) made of one probe: whether our ACK completed the connection, the first
 * bytes the server sent (with --banner; escaped to one line, null when none came within the timeout or none was
 * asked for), and how the connection was closed.
 *
 * @param close "rst" or "fin" (our closing packet), "fin-timeout" when the server did not finish the FIN exchange
 *              in time (then a RST ended it), or null when no connection was made
 */
public record Handshake(boolean established, String banner, String close) {
    /** The probe was not answered with a SYN-ACK, or our ACK could not be sent: no connection. */
    public static final Handshake NOT_ESTABLISHED = new Handshake(false, null, null);
}
