package org.cspstack.protocols.services;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The classic small services (RFC 862, 863, 864), by name and port. */
public enum Service {
    /** RFC 862: sends back what it receives. */
    ECHO(7),
    /** RFC 863: throws away what it receives. */
    DISCARD(9),
    /** RFC 864: answers with characters. */
    CHARGEN(19);

    private final int port;

    Service(int port) {
        this.port = port;
    }

    public int port() {
        return port;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code echo,discard,chargen} (any order, any case); throws with the valid names otherwise. */
    public static Set<Service> parseList(String list) {
        Set<Service> set = EnumSet.noneOf(Service.class);
        for (String s : list.split(",")) {
            String name = s.trim();
            if (name.isEmpty()) {
                continue;
            }
            try {
                set.add(valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown service '" + name + "'; known: echo, discard, chargen");
            }
        }
        return set;
    }
}
