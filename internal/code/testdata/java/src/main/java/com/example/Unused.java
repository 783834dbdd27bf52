package com.example;

// Never referenced by App: not part of the function's code.
class Unused {
    int f(int a) { if (a > 1) { return 1; } return 0; }
}
