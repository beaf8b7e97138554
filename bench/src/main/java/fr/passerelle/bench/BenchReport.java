package fr.passerelle.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Every benchmark's answer: indented JSON on the given output and in {@code target/bench-<name>.json}. */
public final class BenchReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchReport() {
    }

    public static void write(String name, Map<String, ?> report, PrintStream out) throws IOException {
        String text = JSON.writeValueAsString(report);
        Path target = Path.of("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("bench-" + name + ".json"), text);
        out.println(text);
    }
}
