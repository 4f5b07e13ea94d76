package org.cspstack.protocols.tcp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConnKeyTest {
    @Test
    void aProbeFindsTheStoredKeyOfEachConnectionItIsSetTo() {
        Map<ConnKey, String> connections = new HashMap<>();
        ConnKey first = new ConnKey(80, 0xc612_0001, 40_000);
        ConnKey second = new ConnKey(80, 0xc612_0001, 40_001);
        connections.put(first, "first");
        connections.put(second, "second");
        ConnKey probe = ConnKey.probe();

        assertThat(connections.get(probe.set(80, 0xc612_0001, 40_000)), is("first"));
        assertThat(connections.get(probe.set(80, 0xc612_0001, 40_001)), is("second"));
        assertThat(connections.get(probe.set(80, 0xc612_0002, 40_001)), is(nullValue()));
        assertThat(probe.set(1, 2, 3), is(sameInstance(probe)));
        assertThat(probe, is(new ConnKey(1, 2, 3)));
        assertThat(probe.hashCode(), is(new ConnKey(1, 2, 3).hashCode()));
        assertThat(first, is(new ConnKey(80, 0xc612_0001, 40_000))); // stored keys are unchanged
    }

    @Test
    void onlyAProbeChanges() {
        ConnKey stored = new ConnKey(80, 1, 40_000);
        assertThrows(IllegalStateException.class, () -> stored.set(81, 1, 40_000));
        assertThat(stored.localPort(), is(80));
        assertThat(stored.toString(), is("ConnKey[localPort=80, remoteAddress=1, remotePort=40000]"));
    }
}
