import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import java.io.OutputStreamWriter;
import java.net.HttpURLConnection;
import java.net.URL;

// A Java custom resource answering CloudFormation on the pre-signed
// ResponseURL; a URL among its properties is still followed.
public class CustomResource implements RequestHandler<CloudFormationCustomResourceEvent, Void> {
    public Void handleRequest(CloudFormationCustomResourceEvent event, Context context) {
        try {
            URL url = new URL(event.getResponseUrl());
            HttpURLConnection connection = (HttpURLConnection) url.openConnection();
            connection.setDoOutput(true);
            connection.setRequestMethod("PUT");
            try (OutputStreamWriter out = new OutputStreamWriter(connection.getOutputStream())) {
                out.write("{\"Status\": \"SUCCESS\", \"RequestId\": \"" + event.getRequestId() + "\"}");
            }
            connection.getResponseCode();
            new URL((String) event.getResourceProperties().get("CallbackUrl")).openStream();
        } catch (Exception e) {
            context.getLogger().log("failed: " + e);
        }
        return null;
    }
}
