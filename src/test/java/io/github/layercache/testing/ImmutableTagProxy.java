package io.github.layercache.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry with immutable tags, as Amazon ECR keeps them: a plain-HTTP proxy on loopback in front
 * of a registry that forwards every request, except that a manifest put under a tag the registry
 * already has for another manifest is refused with ECR's answer (HTTP 400, {@code TAG_INVALID}, "…
 * cannot be overwritten because the repository is immutable.").
 *
 * <p>Like a plain-HTTP registry, it answers a TLS handshake with an HTTP error at once: BuildKit tries
 * HTTPS first on a loopback registry and falls back to HTTP only on such an answer (the JDK's HTTP
 * server would wait for a request line that never comes). So a small front on the public port
 * answers handshakes and hands every other connection, byte for byte, to the HTTP server behind it.
 */
public final class ImmutableTagProxy implements AutoCloseable {

    private static final Pattern MANIFEST_PUT = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
    private static final Set<String> HOP_BY_HOP =
            Set.of("host", "connection", "content-length", "transfer-encoding", "expect", "upgrade", "keep-alive");

    private static final int TLS_HANDSHAKE_RECORD = 0x16;
    private static final byte[] NOT_TLS = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private final HttpServer server;
    private final ServerSocket front;
    private final ExecutorService executor;
    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final String upstream;
    private final String self;

    /** @param upstream the registry's {@code host:port}, spoken to over plain HTTP */
    public ImmutableTagProxy(int port, String upstream) throws IOException {
        this.upstream = upstream;
        InetAddress loopback = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        this.server = HttpServer.create(new InetSocketAddress(loopback, 0), 64);
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "immutable-tag-proxy");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        this.front = new ServerSocket(port, 64, loopback);
        this.self = "127.0.0.1:" + front.getLocalPort();
        executor.execute(this::acceptConnections);
    }

    private void acceptConnections() {
        while (!front.isClosed()) {
            try {
                Socket client = front.accept();
                executor.execute(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** A TLS handshake gets the HTTP error; anything else goes to the HTTP server and back. */
    private void serve(Socket client) {
        try (client;
                Socket backend = new Socket(
                        server.getAddress().getAddress(), server.getAddress().getPort())) {
            InputStream in = client.getInputStream();
            int first = in.read();
            if (first < 0) {
                return;
            }
            if (first == TLS_HANDSHAKE_RECORD) {
                client.getOutputStream().write(NOT_TLS);
                return;
            }
            backend.getOutputStream().write(first);
            Future<?> upstreamCopy = executor.submit(() -> copy(in, backend));
            copy(backend.getInputStream(), client);
            upstreamCopy.cancel(true);
        } catch (IOException e) {
            // the client or the server went away: the connection ends
        }
    }

    /** Copies until the end of {@code from}, then ends the output of {@code to}. */
    private static void copy(InputStream from, Socket to) {
        try {
            from.transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // the other side closed
        }
    }

    /** {@code 127.0.0.1:<port>}. */
    public String address() {
        return self;
    }

    @Override
    public void close() {
        try {
            front.close();
        } catch (IOException e) {
            // closing anyway
        }
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            Matcher manifest = MANIFEST_PUT.matcher(path);
            if (exchange.getRequestMethod().equals("PUT")
                    && manifest.matches()
                    && !manifest.group(2).contains(":")) {
                String existing = existingDigest(exchange, path);
                if (existing != null && !existing.equals(sha256(body))) {
                    refuse(exchange, manifest.group(1), manifest.group(2));
                    return;
                }
            }
            forward(exchange, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            byte[] message = ("proxy failure: " + e).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(502, message.length);
            exchange.getResponseBody().write(message);
        }
    }

    /** The digest the registry has under the tag of this manifest path, asked with the caller's credentials. */
    private String existingDigest(HttpExchange exchange, String path) throws IOException, InterruptedException {
        HttpRequest.Builder head = HttpRequest.newBuilder(URI.create("http://" + upstream + path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header(
                        "Accept",
                        String.join(
                                ", ",
                                "application/vnd.oci.image.manifest.v1+json",
                                "application/vnd.oci.image.index.v1+json",
                                "application/vnd.docker.distribution.manifest.v2+json",
                                "application/vnd.docker.distribution.manifest.list.v2+json"));
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            head.header("Authorization", authorization);
        }
        HttpResponse<Void> answer = http.send(head.build(), HttpResponse.BodyHandlers.discarding());
        return answer.statusCode() == 200
                ? answer.headers().firstValue("Docker-Content-Digest").orElse(null)
                : null;
    }

    private static void refuse(HttpExchange exchange, String repository, String tag) throws IOException {
        byte[] answer = ("{\"errors\":[{\"code\":\"TAG_INVALID\",\"message\":\"The image tag '" + tag
                        + "' already exists in the '" + repository
                        + "' repository and cannot be overwritten because the repository is immutable.\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(400, answer.length);
        exchange.getResponseBody().write(answer);
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        URI target = URI.create("http://" + upstream + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .method(
                        exchange.getRequestMethod(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> header :
                exchange.getRequestHeaders().entrySet()) {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase())) {
                header.getValue().forEach(value -> request.header(header.getKey(), value));
            }
        }
        HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        answer.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.equals(":status")) {
                for (String value : values) {
                    exchange.getResponseHeaders()
                            .add(name, name.equalsIgnoreCase("Location") ? value.replace(upstream, self) : value);
                }
            }
        });
        boolean noBody =
                exchange.getRequestMethod().equals("HEAD") || answer.statusCode() == 204 || answer.statusCode() == 304;
        if (noBody) {
            answer.headers().firstValue("Content-Length").ifPresent(length -> exchange.getResponseHeaders()
                    .set("Content-Length", length));
            exchange.sendResponseHeaders(answer.statusCode(), -1);
            return;
        }
        exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
