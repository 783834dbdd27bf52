package ex;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

// An order lookup that splices the path parameter into SQL (concatenated,
// and formatted into a variable first) and into a
// DynamoDB key condition; the prepared statement beside them is fine.
public class Sql implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        String id = request.getPathParameters().get("id");
        try (Connection conn = DriverManager.getConnection(System.getenv("JDBC_URL"))) {
            Statement stmt = conn.createStatement();
            stmt.executeQuery("SELECT * FROM orders WHERE id = '" + id + "'");
            String delete = String.format("DELETE FROM orders WHERE id = '%s'", id);
            stmt.executeUpdate(delete);
            PreparedStatement ps = conn.prepareStatement("SELECT * FROM orders WHERE id = ?");
            ps.setString(1, id);
            ps.executeQuery();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
        QueryRequest q = QueryRequest.builder()
                .tableName(System.getenv("TABLE"))
                .keyConditionExpression("pk = " + id)
                .build();
        return new APIGatewayProxyResponseEvent().withStatusCode(200).withBody(q.toString());
    }
}
