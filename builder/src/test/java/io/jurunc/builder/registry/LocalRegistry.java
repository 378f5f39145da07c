package io.jurunc.builder.registry;

import io.jurunc.builder.image.FileTrees;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Debian's docker-registry on 127.0.0.1, a random free port and a temp storage dir; stopped and removed on close. */
final class LocalRegistry implements AutoCloseable {
    final int port;
    private final Path dir;
    private final Process process;

    LocalRegistry() throws Exception {
        dir = Files.createTempDirectory("jurunc-registry-test-");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: error
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                  relativeurls: true
                """.formatted(dir.resolve("data"), port));
        process = new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").toFile())
                .start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                close();
                throw new IllegalStateException(
                        "docker-registry did not start: " + Files.readString(dir.resolve("log")));
            }
            Thread.sleep(100);
        }
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        FileTrees.deleteQuietly(dir);
    }
}
