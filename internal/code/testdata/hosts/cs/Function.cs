using System.Net.Http;

namespace Ex;

public class Function
{
    private static readonly HttpClient Client = new HttpClient();

    public async Task<string> Handler(string input)
    {
        // https://ignored.example.com
        var res = await Client.GetAsync("https://api.pagerduty.com/incidents");
        var hook = Environment.GetEnvironmentVariable("TEAMS_WEBHOOK");
        await Client.PostAsync(hook, null);
        return res.ToString();
    }
}
