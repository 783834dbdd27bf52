package com.example;

class Helper {
    static int twice(int x) {
        return x > 0 ? x * 2 : 0;
    }
}
