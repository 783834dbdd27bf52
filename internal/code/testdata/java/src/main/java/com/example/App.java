package com.example;

import com.example.util.Names;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

public class App {
    private static final String TABLE = System.getenv("TABLE_NAME");
    private final DynamoDbClient ddb = DynamoDbClient.create();
    private final S3Client s3 = S3Client.create();

    public String handleRequest(java.util.Map<String, String> event) {
        if (event == null || event.isEmpty()) {
            return "empty";
        }
        ddb.putItem(PutItemRequest.builder().tableName(TABLE).build());
        for (String k : event.keySet()) {
            s3.getObject(GetObjectRequest.builder().bucket(System.getenv("BUCKET")).key(k).build());
        }
        return Names.of(new ObjectMapper().toString(), Helper.twice(1));
    }
}
