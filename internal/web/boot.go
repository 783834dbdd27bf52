package web

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// maxBoot is the most the first page carries in answers.
const maxBoot = 4 << 20

// bootCall is one API call answered in advance: the frontend finds it by
// method and arguments and uses the result instead of asking the server.
type bootCall struct {
	Method string          `json:"m"`
	Args   json.RawMessage `json:"a"`
	Result any             `json:"r"`
}

// bootScript answers, inside index.html, the calls the workbench makes to
// open its default view (the workspace status, the projects, and the default
// revision's revisions, model and diagram). The page then draws the example
// without a round trip: it is on screen at the load event, for people and for
// tools that read the DOM when the page has loaded. A call that fails is
// left out; the frontend then asks the server as usual.
func (h *Handler) bootScript() []byte {
	if h.api == nil {
		return nil
	}
	var calls []bootCall
	call := func(method string, args ...any) any {
		if args == nil {
			args = []any{} // "[]", as the frontend sends
		}
		raw, err := json.Marshal(args)
		if err != nil {
			return nil
		}
		res, err := h.api.Call("Workbench", method, raw)
		if err != nil {
			return nil
		}
		calls = append(calls, bootCall{Method: method, Args: raw, Result: res})
		return res
	}
	var status struct {
		ExampleRevisionID int64 `json:"exampleRevisionId"`
	}
	var projects []struct {
		ID     int64 `json:"id"`
		Latest *struct {
			ID int64 `json:"id"`
		} `json:"latest"`
	}
	if !decodeInto(call("Status"), &status) || !decodeInto(call("ListProjects"), &projects) {
		return nil
	}
	rev := status.ExampleRevisionID
	if rev == 0 && len(projects) > 0 && projects[0].Latest != nil {
		rev = projects[0].Latest.ID
	}
	if rev != 0 {
		for _, p := range projects {
			if p.Latest != nil && p.Latest.ID == rev {
				call("Revisions", p.ID)
			}
		}
		call("Analysis", rev)
		call("Diagram", rev, "", "")
	}
	// encoding/json escapes <, > and & in strings, so no text from a template
	// can close the script element.
	data, err := json.Marshal(calls)
	if err != nil {
		return nil
	}
	// A large application's model (tens of MB for a thousand functions)
	// would hold the page back: then only the small answers go in, and the
	// page asks for the rest as usual.
	for len(data) > maxBoot && len(calls) > 2 {
		calls = calls[:2] // Status and ListProjects
		if data, err = json.Marshal(calls); err != nil {
			return nil
		}
	}
	return []byte(`<script id="samthreat-boot" type="application/json" data-revision="` + strconv.FormatInt(rev, 10) + `">` + string(data) + `</script>`)
}

// decodeInto converts an API result into v through JSON (results are the
// app package's types; the boot code needs only a few fields).
func decodeInto(res any, v any) bool {
	if res == nil {
		return false
	}
	b, err := json.Marshal(res)
	return err == nil && json.Unmarshal(b, v) == nil
}

// withBoot puts the boot script at the end of index.html's head.
func withBoot(index, boot []byte) []byte {
	i := bytes.Index(index, []byte("</head>"))
	if len(boot) == 0 || i < 0 {
		return index
	}
	out := make([]byte, 0, len(index)+len(boot))
	out = append(out, index[:i]...)
	out = append(out, boot...)
	return append(out, index[i:]...)
}
