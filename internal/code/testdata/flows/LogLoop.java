package ex;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Records walked with for-each and handed to a method of the class, whose
// logger writes each message body.
public class LogLoop implements RequestHandler<SQSEvent, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(LogLoop.class);

    @Override
    public Void handleRequest(SQSEvent sqsEvent, Context context) {
        for (SQSEvent.SQSMessage msg : sqsEvent.getRecords()) {
            handle(msg);
        }
        return null;
    }

    private void handle(SQSEvent.SQSMessage message) {
        LOG.info("message {} body {}", message.getMessageId(), message.getBody());
    }
}
