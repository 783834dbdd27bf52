package store

// Key picks the event's id.
func Key(ev map[string]string) string {
	for k, v := range ev {
		switch k {
		case "id":
			return v
		default:
		}
	}
	return ""
}
