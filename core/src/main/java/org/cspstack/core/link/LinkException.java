package org.cspstack.core.link;

/**
 * A link could not be opened or used. The message names the thing, the value and what to do, for example
 * {@code interface csplab0 not found; run scripts/lab.sh up or pass --nic IF (interfaces here: eth0, lo)}, so a
 * command-line tool can print it as it is, without a stack trace.
 */
public class LinkException extends Exception {

    public LinkException(String message) {
        super(message);
    }

    public LinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
