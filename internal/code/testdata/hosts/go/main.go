package main

import (
	"net/http"
	"os"
)

func handler() error {
	// http://not-called.example.com in a comment
	if _, err := http.Get("https://api.openweathermap.org/data/2.5/weather"); err != nil {
		return err
	}
	target := os.Getenv("NOTIFY_URL")
	_, err := http.Post(target, "application/json", nil)
	return err
}

func main() { _ = handler() }
