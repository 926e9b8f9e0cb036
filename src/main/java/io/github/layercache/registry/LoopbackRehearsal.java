package io.github.layercache.registry;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One request from an HTTP client to a server of the JVM's own on loopback, answered and forgotten:
 * a cold JVM loads the client's whole request path (a tenth of a second or more) on the first request
 * it sends, and this lets that happen before a registry is asked anything, while no registry sees it.
 */
final class LoopbackRehearsal {

    private LoopbackRehearsal() {}

    /** Sends the request; {@code client} keeps nothing of it but the loaded classes. */
    static void rehearse(HttpClient client, Duration timeout) throws IOException, InterruptedException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try {
            URI uri = URI.create("http://" + server.getAddress().getHostString() + ":"
                    + server.getAddress().getPort() + "/v2/rehearsal/manifests/latest");
            client.send(
                    HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } finally {
            server.stop(0);
        }
    }
}
