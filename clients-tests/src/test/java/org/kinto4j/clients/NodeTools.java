package org.kinto4j.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** node and npm for the client tests: found on the PATH, version checked, packages installed once. */
final class NodeTools {

    record Result(int exitCode, String output) {
    }

    private NodeTools() {
    }

    static String require(String name, Consumer<String> unavailable) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        unavailable.accept("'" + name + "' was not found on the PATH (node 20.19+ and npm are needed).");
        return null;
    }

    /** Checks node's version; {@code work}: the test's folder, where the command's output is kept. */
    static void requireVersion(String node, Path work, Consumer<String> unavailable) throws Exception {
        Result version = run(List.of(node, "--version"), Path.of("."), work, Map.of(), 1);
        Matcher m = Pattern.compile("v(\\d+)\\.(\\d+)").matcher(version.output());
        if (version.exitCode() != 0 || !m.find()) {
            unavailable.accept("'node --version' failed: " + version.output().trim());
            return;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        if (major < 20 || (major == 20 && minor < 19)) {
            unavailable.accept("node " + version.output().trim() + " is too old (kinto.js needs 20.19+).");
        }
    }

    /** {@code npm ci} in {@code js} unless node_modules was installed from the same lock file. */
    static void npmCiOnce(String npm, Path js, Path work) throws Exception {
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(js.resolve("package-lock.json"))));
        Path stamp = js.resolve("node_modules/.kinto4j-lock-sha256");
        if (Files.isRegularFile(stamp) && Files.readString(stamp).trim().equals(hash)) {
            return;
        }
        Result ci = run(List.of(npm, "ci", "--no-audit", "--no-fund"), js, work, Map.of(), 10);
        System.out.println(ci.output());
        assertThat(ci.exitCode()).as("npm ci in " + js + " (output above)").isZero();
        Files.writeString(stamp, hash + "\n");
    }

    /** Runs a command in {@code dir}, stdout and stderr merged into a file under {@code work}. */
    static Result run(List<String> command, Path dir, Path work, Map<String, String> env, long timeoutMinutes)
            throws Exception {
        Path log = Files.createTempFile(work, "process-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + timeoutMinutes + " minutes:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
