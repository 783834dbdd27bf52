namespace Hello;

// Published into bin/Release/net8.0/publish; the template points there.
public class Function
{
    public string FunctionHandler(string input)
    {
        return input ?? "none";
    }
}
