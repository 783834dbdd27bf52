package report

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// assertNoActiveContent fails on anything in a page that could run code or
// load something: script elements, event handlers, javascript: or external
// URLs, frames, objects, forms, meta refresh; and requires the CSP.
func assertNoActiveContent(t *testing.T, doc *html.Node) {
	t.Helper()
	csp := false
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch strings.ToLower(n.Data) {
		case "script", "iframe", "frame", "object", "embed", "form", "foreignobject", "use", "image", "animate", "set", "link", "base":
			t.Errorf("page contains <%s>", n.Data)
		case "meta":
			if strings.EqualFold(attr(n, "http-equiv"), "refresh") {
				t.Error("page has a meta refresh")
			}
			if strings.EqualFold(attr(n, "http-equiv"), "Content-Security-Policy") && strings.Contains(attr(n, "content"), "default-src 'none'") {
				csp = true
			}
		case "style":
			if n.Parent == nil || n.Parent.Data != "head" {
				t.Error("page has a <style> outside the head")
			}
		}
		for _, a := range n.Attr {
			k, v := strings.ToLower(a.Key), strings.ToLower(a.Val)
			if strings.HasPrefix(k, "on") {
				t.Errorf("<%s> has event handler %s", n.Data, a.Key)
			}
			if k == "style" {
				t.Errorf("<%s> has a style attribute", n.Data)
			}
			if (k == "href" || k == "src" || strings.HasSuffix(k, ":href") || k == "action") && !strings.HasPrefix(v, "#") {
				t.Errorf("<%s> %s=%q leaves the page", n.Data, a.Key, a.Val)
			}
			if strings.Contains(v, "javascript:") || (strings.Contains(v, "url(") && !urlRe.MatchString(a.Val)) {
				t.Errorf("<%s> %s=%q", n.Data, a.Key, a.Val)
			}
		}
	})
	if !csp {
		t.Error("page has no Content-Security-Policy forbidding scripts")
	}
}

func TestSanitizeSVG(t *testing.T) {
	out, err := sanitizeSVG([]byte(hostileSVG))
	if err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, append(append([]byte("<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"></head><body>"), out...), "</body></html>"...))
	assertNoActiveContent(t, doc)
	for _, want := range []string{`<text x="1" y="2" fill="url(#ok)">label &lt;script&gt;</text>`, `viewBox="0 0 100 50"`, `<g id="n1" class="node">`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("sanitised SVG lacks %s:\n%s", want, out)
		}
	}
	for _, bad := range []string{"<svg><script", "<html>", "not svg", "<svg><g></svg>"} {
		if _, err := sanitizeSVG([]byte(bad)); err == nil {
			t.Errorf("sanitizeSVG(%q) accepted it", bad)
		}
	}
}

func parseHTML(t *testing.T, data []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func find(n *html.Node, pred func(*html.Node) bool) *html.Node {
	var found *html.Node
	walk(n, func(x *html.Node) {
		if found == nil && x.Type == html.ElementNode && pred(x) {
			found = x
		}
	})
	return found
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) || strings.EqualFold(a.Namespace+":"+a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(x *html.Node) {
		if x.Type == html.TextNode && (x.Parent == nil || (x.Parent.Data != "style" && x.Parent.Data != "title")) {
			b.WriteString(x.Data)
		}
	})
	return b.String()
}
