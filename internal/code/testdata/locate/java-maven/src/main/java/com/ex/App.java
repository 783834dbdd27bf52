package com.ex;

// Built by Maven into target/app.zip; the template points at the artifact.
public class App {
    public String handleRequest(String in) {
        if (in == null) {
            return "none";
        }
        return in;
    }
}
