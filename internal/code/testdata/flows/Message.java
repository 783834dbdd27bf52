package ex;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import software.amazon.awssdk.services.iotdataplane.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishRequest.Builder;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

// A device command relay: the topic comes from the request, one message is
// JSON written by hand, the other serialised by a library.
public class Message implements RequestHandler<APIGatewayProxyRequestEvent, String> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public String handleRequest(APIGatewayProxyRequestEvent input, Context context) {
        String device = input.getPathParameters().get("device");
        PublishRequest.builder().topic("devices/" + device + "/commands").build();
        SendMessageRequest.builder().messageBody("{\"device\": \"" + device + "\"}").build();
        try {
            SendMessageRequest.builder().messageBody(MAPPER.writeValueAsString(Map.of("device", device))).build();
        } catch (Exception e) {
            return "error";
        }
        return "ok";
    }
}
