namespace Fn
{
    public static class Store
    {
        public const string Empty = "";
        public static bool Has(string s) => s != null && s.Length > 0;
    }
}
