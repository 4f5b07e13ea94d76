package org.cspstack.harness.experiments;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

class CodeMetricsTest {

    @Test
    void countsACFileByHand() {
        String c = """
                /* a comment with if and malloc( in it */
                static int counter;          // shared: file scope, not const
                static const int LIMIT = 3;  // not shared: const

                struct pbuf *take(struct pbuf *p, int n)
                {
                  char *s = "if (x) malloc(";
                  if (p == NULL || n < 0) {
                    return NULL;
                  }
                  for (int i = 0; i < n; i++) {
                    counter++;
                  }
                  void *q = (void *)p;
                  memcpy(q, p, n);
                  free(q);
                  return n > LIMIT ? p : NULL;
                }
                """;
        CodeMetrics.Metrics m = CodeMetrics.measure(c, CodeMetrics.Language.C);
        assertThat(m.lines(), is(16));
        assertThat(m.functions(), is(1));
        assertThat("if, ||, for, ?:", m.decisions(), is(4));
        assertThat(m.cyclomatic(), is(5));
        assertThat("memcpy, free", m.memory(), is(2));
        assertThat("(void *)", m.casts(), is(1));
        assertThat(m.shared(), is(1));
    }

    @Test
    void countsAGoFileByHand() {
        String go = """
                package ipv4

                var pending = map[string]chan []byte{} // shared

                func assemble(in <-chan []byte) []byte {
                	buf := make([]byte, 0)
                	for {
                		select {
                		case b := <-in:
                			if len(b) == 0 && buf != nil {
                				return buf
                			}
                			buf = append(buf, b...)
                		}
                	}
                }

                func cast(x interface{}) int { return x.(int) }
                """;
        CodeMetrics.Metrics m = CodeMetrics.measure(go, CodeMetrics.Language.GO);
        assertThat(m.functions(), is(2));
        assertThat("for, case, if, &&", m.decisions(), is(4));
        assertThat("make, append", m.memory(), is(2));
        assertThat("x.(int)", m.casts(), is(1));
        assertThat(m.shared(), is(1));
    }

    @Test
    void countsAJavaFileByHand() {
        String java = """
                final class Holder {
                    private static int shared;
                    private static final int CONSTANT = 1;
                    private volatile boolean flag;

                    Holder() {
                    }

                    int work(Object o, int n) {
                        byte[] b = new byte[n];
                        switch (n) {
                            case 1 -> {
                                return (Integer) o;
                            }
                            default -> {
                            }
                        }
                        try {
                            System.arraycopy(b, 0, b, 0, n);
                        } catch (RuntimeException e) {
                            return -1;
                        }
                        return n > 0 && flag ? 1 : 0;
                    }
                }
                """;
        CodeMetrics.Metrics m = CodeMetrics.measure(java, CodeMetrics.Language.JAVA);
        assertThat("constructor and method, not the switch arms", m.functions(), is(2));
        assertThat("case, catch, &&, ?:", m.decisions(), is(4));
        assertThat("new byte[], System.arraycopy", m.memory(), is(2));
        assertThat("(Integer) o", m.casts(), is(1));
        assertThat("non-final static, volatile", m.shared(), is(2));
    }
}
