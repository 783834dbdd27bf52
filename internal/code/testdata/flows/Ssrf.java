package ex;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

// A preview service that fetches the URL of the query string and names a
// temporary file after a header; the status URL is a constant.
public class Ssrf implements RequestHandler<APIGatewayV2HTTPEvent, String> {
    private final HttpClient client = HttpClient.newHttpClient();

    public String handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String target = event.getQueryStringParameters().get("url");
        try {
            HttpRequest req = HttpRequest.newBuilder().uri(URI.create(target)).build();
            HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString());
            new URL("https://status.example.com/ping").openConnection();
            File out = new File("/tmp", event.getHeaders().get("x-name"));
            return res.body() + out;
        } catch (Exception e) {
            return "error";
        }
    }
}
