package main

// Test files are not deployed: not counted.
func helperOnlyInTests(a, b bool) bool { return a && b || !a }
