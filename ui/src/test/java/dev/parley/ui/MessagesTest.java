package dev.parley.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.call.EndReason;
import dev.parley.call.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every text exists in English and Russian, every key the code names exists, and every pattern formats. */
class MessagesTest {
    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Messages.class.getResourceAsStream(name)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void englishAndRussianHaveTheSameKeysAndEveryPatternFormats() throws IOException {
        Properties en = load("messages.properties");
        Properties ru = load("messages_ru.properties");
        assertEquals(new TreeSet<>(en.stringPropertyNames()), new TreeSet<>(ru.stringPropertyNames()));
        for (Properties p : new Properties[] {en, ru}) {
            for (String key : p.stringPropertyNames()) {
                new MessageFormat(p.getProperty(key)).format(new Object[] {"x", 1, 2}); // throws on a broken pattern
            }
        }
        assertEquals("Отмена", Messages.forLanguage("ru").get("common.cancel"));
        assertEquals("Cancel", Messages.forLanguage("en").get("common.cancel"));
        assertEquals("Cancel", Messages.forLanguage("xx").get("common.cancel"), "unknown languages get English");
    }

    @Test
    void everyKeyTheCodeNamesExists() throws IOException {
        Properties en = load("messages.properties");
        Set<String> missing = new TreeSet<>();
        Pattern literal = Pattern.compile("(?:text\\.get|label)\\(\"([a-zA-Z0-9_.]+)\"");
        Pattern toggle = Pattern.compile("toggle\\([^,]+, \"([a-zA-Z0-9_.]+)\"");
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path file : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = Files.readString(file);
                for (Pattern p : new Pattern[] {literal, toggle}) {
                    Matcher m = p.matcher(code);
                    while (m.find()) {
                        String key = m.group(1);
                        if (!key.endsWith(".") && !en.containsKey(key)) {
                            missing.add(file.getFileName() + ": " + key);
                        }
                    }
                }
            }
        }
        assertEquals(Set.of(), missing);
        // Keys built at run time: end reasons, presence, qualities, candidate types, streams, paths.
        for (EndReason r : EndReason.values()) {
            assertTrue(en.containsKey("end." + r.wireName()), r.wireName());
        }
        for (String q : Settings.VIDEO_QUALITIES) {
            assertTrue(en.containsKey("quality.video." + q.replace('@', '_')), q);
        }
        for (String k : new String[] {
            "presence.online",
            "presence.away",
            "presence.offline",
            "quality.unknown",
            "quality.good",
            "quality.fair",
            "quality.poor",
            "details.type.host",
            "details.type.srflx",
            "details.type.prflx",
            "details.type.relay",
            "details.path.direct",
            "details.path.nat",
            "details.path.relay",
            "details.stream.in.audio",
            "details.stream.in.video",
            "details.stream.out.audio",
            "details.stream.out.video",
            "settings.theme.light",
            "settings.theme.dark",
            "settings.language.en",
            "settings.language.ru",
            "end.unknown"
        }) {
            assertTrue(en.containsKey(k), k);
        }
    }
}
