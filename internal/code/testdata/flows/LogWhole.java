package ex;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ActiveMQEvent;
import java.util.Base64;

// A broker consumer that writes every message to its logs (the pattern of
// activemq-lambda-sam-java, in our own words).
public class LogWhole implements RequestHandler<ActiveMQEvent, Void> {
    public Void handleRequest(ActiveMQEvent input, Context context) {
        LambdaLogger logger = context.getLogger();
        logger.log("Got: " + input);
        input.getMessages().forEach(m -> logger.log("Body " + new String(Base64.getDecoder().decode(m.getData()))));
        return null;
    }
}
