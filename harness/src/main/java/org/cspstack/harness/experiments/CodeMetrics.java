package org.cspstack.harness.experiments;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Simplicity metrics of source code, by lexical rules a reader can check by hand (no parser): the same rules
 * for C, Go and Java, as far as the languages allow. Comments and string literals are removed first.
 *
 * <ul>
 *   <li><b>lines</b>: non-blank, non-comment lines;</li>
 *   <li><b>functions</b>: function or method definitions;</li>
 *   <li><b>decisions</b>: {@code if}, {@code for}, {@code while}, {@code case}, {@code catch}, {@code &&},
 *       {@code ||}, {@code ?:} and Go's {@code select} arms; cyclomatic complexity is decisions + functions
 *       (McCabe, summed over the functions);</li>
 *   <li><b>memory</b>: manual memory operations: C {@code malloc/calloc/realloc/free}, lwIP's
 *       {@code mem_/memp_/pbuf_} allocation, reference and free calls, {@code memcpy/MEMCPY/SMEMCPY/memset};
 *       Go {@code make(/new(/copy(/append(}; Java array allocation and {@code System.arraycopy};</li>
 *   <li><b>casts</b>: C casts to a type or pointer type, Java casts to a named type, Go type assertions and
 *       {@code unsafe} conversions;</li>
 *   <li><b>shared</b>: mutable state reachable from more than one thread: C file-scope variables that are not
 *       const, Go package-level {@code var}s, Java non-final {@code static} fields, {@code volatile} fields and
 *       {@code synchronized} blocks or methods.</li>
 * </ul>
 */
public final class CodeMetrics {
    /** The languages measured. */
    public enum Language { C, GO, JAVA }

    /** What one body of code measured. */
    public record Metrics(int lines, int functions, int decisions, int memory, int casts, int shared) {
        public int cyclomatic() {
            return decisions + functions;
        }

        public Metrics plus(Metrics o) {
            return new Metrics(lines + o.lines, functions + o.functions, decisions + o.decisions, memory + o.memory,
                    casts + o.casts, shared + o.shared);
        }
    }

    public static final Metrics ZERO = new Metrics(0, 0, 0, 0, 0, 0);

    private CodeMetrics() {
    }

    public static Language languageOf(String fileName) {
        if (fileName.endsWith(".c") || fileName.endsWith(".h")) {
            return Language.C;
        }
        if (fileName.endsWith(".go")) {
            return Language.GO;
        }
        if (fileName.endsWith(".java")) {
            return Language.JAVA;
        }
        throw new IllegalArgumentException("no rules for " + fileName + " (C, Go or Java)");
    }

    public static Metrics measure(String source, Language lang) {
        String code = stripCommentsAndStrings(source);
        int lines = 0;
        for (String line : code.split("\n", -1)) {
            if (!line.isBlank()) {
                lines++;
            }
        }
        return new Metrics(lines, functions(code, lang), decisions(code, lang), count(code, memory(lang)),
                count(code, casts(lang)), shared(code, lang));
    }

    /** Removes comments and the contents of string and character literals, keeping line breaks. */
    static String stripCommentsAndStrings(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                i += 2;
                while (i < n && !(s.charAt(i) == '*' && i + 1 < n && s.charAt(i + 1) == '/')) {
                    if (s.charAt(i) == '\n') {
                        out.append('\n');
                    }
                    i++;
                }
                i += 2;
            } else if (c == '"' || c == '\'' || c == '`') {
                char quote = c;
                out.append(quote);
                i++;
                while (i < n && s.charAt(i) != quote) {
                    if (s.charAt(i) == '\\' && quote != '`') {
                        i++;
                    } else if (s.charAt(i) == '\n') {
                        out.append('\n');
                    }
                    i++;
                }
                out.append(quote);
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static final Pattern C_FUNCTION = Pattern.compile(
            "(?m)^[A-Za-z_][\\w\\s\\*]*?\\b([A-Za-z_]\\w*)\\s*\\([^;{)]*\\)\\s*\\{");
    private static final Pattern GO_FUNCTION = Pattern.compile("(?m)^func\\b");
    private static final Pattern JAVA_METHOD = Pattern.compile(
            "(?m)^\\s+(?:(?:public|protected|private|static|final|synchronized|abstract|default)\\s+)*"
                    + "(?:<[^>]+>\\s+)?[\\w<>\\[\\],.? ]+\\s+\\w+\\s*\\([^;{]*\\)\\s*(?:throws [\\w., ]+)?\\{"
                    + "|(?m)^\\s+(?:(?:public|protected|private)\\s+)?[A-Z]\\w*\\s*(?:\\([^;{]*\\))?\\s*\\{");

    private static int functions(String code, Language lang) {
        Pattern p = switch (lang) {
            case C -> C_FUNCTION;
            case GO -> GO_FUNCTION;
            case JAVA -> JAVA_METHOD;
        };
        Matcher m = p.matcher(code);
        int n = 0;
        while (m.find()) {
            String text = m.group();
            if (lang != Language.GO && text.matches("(?s)\\s*(if|for|while|switch|catch|synchronized|return|else|do|try)\\b.*")) {
                continue;
            }
            n++;
        }
        return n;
    }

    private static int decisions(String code, Language lang) {
        int n = count(code, Pattern.compile("\\b(if|for|while|case)\\b")) + count(code, Pattern.compile("&&|\\|\\|"));
        n += count(code, Pattern.compile("\\?[^:;\\n]*:"));
        if (lang == Language.JAVA) {
            n += count(code, Pattern.compile("\\bcatch\\b"));
        }
        return n;
    }

    private static Pattern memory(Language lang) {
        return switch (lang) {
            case C -> Pattern.compile("\\b(malloc|calloc|realloc|free|mem_malloc|mem_free|mem_trim|memp_malloc"
                    + "|memp_free|pbuf_alloc|pbuf_free|pbuf_ref|pbuf_realloc|pbuf_cat|pbuf_chain|pbuf_header"
                    + "|pbuf_remove_header|pbuf_add_header|memcpy|MEMCPY|SMEMCPY|memset|pbuf_copy_partial"
                    + "|pbuf_take)\\s*\\(");
            case GO -> Pattern.compile("\\b(make|new|copy|append)\\s*\\(");
            case JAVA -> Pattern.compile("\\bnew\\s+(byte|int|long|short|char|Object)\\s*\\[|System\\.arraycopy"
                    + "|Arrays\\.copyOf");
        };
    }

    private static Pattern casts(Language lang) {
        return switch (lang) {
            case C -> Pattern.compile("\\(\\s*(const\\s+)?(struct\\s+)?(unsigned\\s+)?[A-Za-z_]\\w*\\s*\\**\\s*\\)"
                    + "\\s*[\\w(&*]");
            case GO -> Pattern.compile("\\.\\(\\s*\\*?[A-Za-z_][\\w.]*\\s*\\)|unsafe\\.");
            case JAVA -> Pattern.compile("\\(\\s*(byte|short|char|int|long|[A-Z]\\w*(<[^>]*>)?)\\s*\\)\\s*[\\w(]");
        };
    }

    private static int shared(String code, Language lang) {
        return switch (lang) {
            case C -> count(code, Pattern.compile("(?m)^(?:static\\s+)?+(?!const\\b)(?!typedef\\b)(?!extern\\b)"
                    + "(?!return\\b)[A-Za-z_][\\w\\s\\*]*\\s\\**[A-Za-z_]\\w*(\\s*\\[[^\\]]*\\])?\\s*(=[^;]*)?;"));
            case GO -> count(code, Pattern.compile("(?m)^var\\b")) + count(code, Pattern.compile("(?m)^var\\s*\\(\\s*\\n"));
            case JAVA -> count(code, Pattern.compile("\\bstatic\\s+(?!final\\b)(?!class\\b)(?!record\\b)(?!enum\\b)"
                    + "(?!interface\\b)(?!\\{)[\\w<>\\[\\], ]+\\s+\\w+\\s*[;=]"))
                    + count(code, Pattern.compile("\\bvolatile\\b")) + count(code, Pattern.compile("\\bsynchronized\\b"));
        };
    }

    private static int count(String code, Pattern p) {
        Matcher m = p.matcher(code);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
