package dev.facerec.common.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A function's memory on Lambda (its {@code MemorySize} in template.yaml) and what a process of it really held. */
public final class LambdaMemory {
    private static final Pattern RESOURCE = Pattern.compile("^  \\w+:\\s*$");
    private static final Pattern MEMORY_SIZE = Pattern.compile("^\\s+MemorySize:\\s*(\\d+)");

    private LambdaMemory() {
    }

    /** The function's {@code MemorySize} in template.yaml: the resource whose image is built from its Dockerfile. */
    public static int memorySizeMb(String function) throws IOException {
        List<String> lines = Files.readAllLines(SharedData.projectRoot().resolve("template.yaml"));
        int resource = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (RESOURCE.matcher(lines.get(i)).matches()) {
                resource = i;
            } else if (lines.get(i).trim().equals("Dockerfile: docker/" + function + ".Dockerfile")) {
                for (int j = resource + 1; j < lines.size() && !RESOURCE.matcher(lines.get(j)).matches(); j++) {
                    Matcher memory = MEMORY_SIZE.matcher(lines.get(j));
                    if (memory.find()) {
                        return Integer.parseInt(memory.group(1));
                    }
                }
            }
        }
        throw new AssertionError("no MemorySize for the function built from docker/" + function + ".Dockerfile");
    }

    /** The most memory a live process has held since it started (Linux: VmHWM, the peak resident set size). */
    public static long peakResidentMb(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        throw new AssertionError("no VmHWM in /proc/" + process.pid() + "/status");
    }
}
