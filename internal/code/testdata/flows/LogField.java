package ex;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;

// One field of the event, the size of a list, an exception: not the event.
public class LogField {
    public void handleRequest(final Context context, final ScheduledEvent event) {
        context.getLogger().log(String.format("rule %s from %s", event.getDetailType(), event.getSource()));
        System.out.println("resources: " + event.getResources().size());
        try {
            event.getDetail().get("orderId");
        } catch (RuntimeException e) {
            System.err.println("failed " + e);
        }
    }
}
