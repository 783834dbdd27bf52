package com.example.util;

public final class Names {
    public static String of(String a, int n) {
        while (n-- > 0) {
            a = a + "!";
        }
        return a;
    }
}
