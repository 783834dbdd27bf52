package ex;

// Built by Gradle into build/distributions/app.zip.
public class Handler {
    public String handleRequest(String in) {
        return in;
    }
}
