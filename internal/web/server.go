// Package web is `samthreat serve`: the workbench frontend (embedded) and a
// JSON API over the same app.Workbench the desktop app binds.
//
// Security: loopback by default; any other bind needs a token. Every
// request's Host must name the server (no DNS rebinding); state-changing
// requests must be same-origin JSON (no CSRF); bodies are bounded and the
// server has timeouts.
package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/samthreat/samthreat/app"
	"github.com/samthreat/samthreat/internal/output"
	"github.com/samthreat/samthreat/internal/store"
)

// MaxBody bounds API request bodies (a template is at most 16 MiB; JSON
// escaping can grow it).
const MaxBody = 40 << 20

// Limits on what requests may hold at once, so that a burst of large
// uploads cannot take the server's memory (20 concurrent 39 MiB bodies took
// it from 0.3 to 3.1 GB before) and imports cannot pile up.
const (
	// MaxBodiesInFlight bounds the bytes of API request bodies held at once
	// (a body whose size is not announced counts as MaxBody).
	MaxBodiesInFlight = 64 << 20
	// MaxImports bounds the Import* calls running at once.
	MaxImports = 2
)

// TokenCookie carries the token in the browser once it opened ?token=.
const TokenCookie = "samthreat_token"

// Options configure the handler.
type Options struct {
	// Addr is the address the listener is bound to (host:port, as from
	// net.Listener.Addr), used to check Host headers.
	Addr string
	// Hosts are more names the server answers to (the host given to
	// --addr when it is a name).
	Hosts []string
	// Token, when set, is required on every request.
	Token string
	// Assets is the built frontend (index.html at its root).
	Assets fs.FS
	// Events, when set, serves /api/events.
	Events *Broker
	// Workbench serves the download endpoints.
	Workbench *app.Workbench
	// MaxBodiesInFlight and MaxImports override the package limits (tests).
	MaxBodiesInFlight int64
	MaxImports        int
}

// limits counts what requests hold.
type limits struct {
	mu        sync.Mutex
	bytes     int64
	imports   int
	lastFree  time.Time
	maxBytes  int64
	maxImport int
}

func (l *limits) reserve(n int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bytes > 0 && l.bytes+n > l.maxBytes {
		return false
	}
	l.bytes += n
	return true
}

// release gives n bytes back; after a burst of large bodies, once none is
// held, the memory is returned to the system (at most once a second).
func (l *limits) release(n int64) {
	l.mu.Lock()
	l.bytes -= n
	free := l.bytes == 0 && n >= 4<<20 && time.Since(l.lastFree) > time.Second
	if free {
		l.lastFree = time.Now()
	}
	l.mu.Unlock()
	if free {
		debug.FreeOSMemory()
	}
}

func (l *limits) startImport() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.imports >= l.maxImport {
		return false
	}
	l.imports++
	return true
}

func (l *limits) endImport() {
	l.mu.Lock()
	l.imports--
	l.mu.Unlock()
}

// Handler serves the frontend and the API.
type Handler struct {
	api    *API
	opts   Options
	hosts  map[string]bool // allowed Host names (lower case, no port)
	port   string
	static http.Handler
	index  []byte
	lim    *limits
}

// NewHandler builds the handler for services (bound with NewAPI).
func NewHandler(opts Options, services ...any) (*Handler, error) {
	api, err := NewAPI(services...)
	if err != nil {
		return nil, err
	}
	h := &Handler{api: api, opts: opts, hosts: map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true},
		lim: &limits{maxBytes: MaxBodiesInFlight, maxImport: MaxImports}}
	if opts.MaxBodiesInFlight > 0 {
		h.lim.maxBytes = opts.MaxBodiesInFlight
	}
	if opts.MaxImports > 0 {
		h.lim.maxImport = opts.MaxImports
	}
	host, port, err := net.SplitHostPort(opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("address %q: %w", opts.Addr, err)
	}
	h.port = port
	h.hosts[strings.ToLower(host)] = true
	for _, x := range opts.Hosts {
		if x != "" {
			h.hosts[strings.ToLower(strings.Trim(x, "[]"))] = true
		}
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		// Bound to every interface: any of the machine's own addresses and
		// its host name are the server; nothing else is.
		if addrs, err := net.InterfaceAddrs(); err == nil {
			for _, a := range addrs {
				if ipn, ok := a.(*net.IPNet); ok {
					h.hosts[ipn.IP.String()] = true
				}
			}
		}
		if hn, err := os.Hostname(); err == nil {
			h.hosts[strings.ToLower(hn)] = true
		}
	}
	if opts.Assets != nil {
		h.static = http.FileServerFS(opts.Assets)
		h.index, _ = fs.ReadFile(opts.Assets, "index.html")
	}
	return h, nil
}

// IsLoopback reports whether addr's host is a loopback address or localhost.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// NewToken makes a random token for non-loopback binds.
func NewToken() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("X-Frame-Options", "DENY")
	hdr.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")

	if !h.hostAllowed(r.Host) {
		writeError(w, http.StatusForbidden, fmt.Sprintf("host %q is not this server (open http://%s/)", r.Host, net.JoinHostPort("127.0.0.1", h.port)))
		return
	}
	if h.opts.Token != "" && !h.authorised(w, r) {
		return
	}
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/api/"):
		h.serveAPI(w, r)
	case r.Method == http.MethodGet || r.Method == http.MethodHead:
		h.serveStatic(w, r)
	default:
		writeError(w, http.StatusMethodNotAllowed, r.Method+" is not allowed here")
	}
}

func (h *Handler) hostAllowed(hostport string) bool {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		host, port = hostport, ""
	}
	host = strings.Trim(strings.ToLower(host), "[]")
	if port != "" && port != h.port {
		return false
	}
	return host != "" && h.hosts[host]
}

// authorised checks the token (header, cookie, or ?token= which also sets
// the cookie and redirects to the clean URL). It answers the request itself
// when it returns false.
func (h *Handler) authorised(w http.ResponseWriter, r *http.Request) bool {
	want := []byte(h.opts.Token)
	match := func(s string) bool { return s != "" && subtle.ConstantTimeCompare([]byte(s), want) == 1 }
	if a := r.Header.Get("Authorization"); strings.HasPrefix(a, "Bearer ") && match(strings.TrimPrefix(a, "Bearer ")) {
		return true
	}
	if c, err := r.Cookie(TokenCookie); err == nil && match(c.Value) {
		return true
	}
	if t := r.URL.Query().Get("token"); t != "" && (r.Method == http.MethodGet || r.Method == http.MethodHead) && match(t) {
		http.SetCookie(w, &http.Cookie{Name: TokenCookie, Value: t, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		q := r.URL.Query()
		q.Del("token")
		u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
		http.Redirect(w, r, u.String(), http.StatusSeeOther)
		return false
	}
	writeError(w, http.StatusUnauthorized, "this workbench needs its token: open the URL samthreat serve printed (…/?token=…)")
	return false
}

func (h *Handler) serveAPI(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Cache-Control", "no-store")
	p := strings.TrimPrefix(r.URL.Path, "/api/")
	// Downloads and event streams are for this page only, not for links or
	// scripts on other sites (the browser says where a request comes from).
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		writeError(w, http.StatusForbidden, "cross-site request refused (Sec-Fetch-Site: "+site+")")
		return
	}
	switch {
	case p == "events" && r.Method == http.MethodGet && h.opts.Events != nil:
		h.opts.Events.serveEvents(w, r)
	case p == "export" && r.Method == http.MethodGet:
		h.serveExport(w, r)
	case p == "project" && r.Method == http.MethodGet:
		h.serveProject(w, r)
	case p == "diagram" && r.Method == http.MethodGet:
		h.serveDiagram(w, r)
	case r.Method == http.MethodPost:
		if msg := h.csrfProblem(r); msg != "" {
			writeError(w, http.StatusForbidden, msg)
			return
		}
		svc, method, ok := strings.Cut(p, "/")
		if !ok || strings.Contains(method, "/") {
			writeError(w, http.StatusNotFound, "call POST /api/<Service>/<Method>")
			return
		}
		size := r.ContentLength
		if size > MaxBody {
			drain(r)
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body of %d MiB is larger than the %d MiB limit (templates are at most 16 MiB)", size>>20, MaxBody>>20))
			return
		}
		if size < 0 {
			size = MaxBody
		}
		if !h.lim.reserve(size) {
			drain(r)
			w.Header().Set("Retry-After", "2")
			writeError(w, http.StatusTooManyRequests, "the server is busy with other large requests: try again in a moment")
			return
		}
		defer h.lim.release(size)
		if strings.HasPrefix(method, "Import") {
			if !h.lim.startImport() {
				drain(r)
				w.Header().Set("Retry-After", "2")
				writeError(w, http.StatusTooManyRequests, fmt.Sprintf("%d imports are already running: try again when one finishes", h.lim.maxImport))
				return
			}
			defer h.lim.endImport()
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
		var buf bytes.Buffer
		if r.ContentLength > 0 {
			buf.Grow(int(r.ContentLength) + 1)
		}
		_, err := buf.ReadFrom(r.Body)
		body := buf.Bytes()
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d MiB", MaxBody>>20))
				return
			}
			writeError(w, http.StatusBadRequest, "reading the request: "+oneLine(err.Error()))
			return
		}
		res, err := h.api.Call(svc, method, body)
		if err != nil {
			writeError(w, statusOf(err), err.Error())
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"result": res})
	default:
		writeError(w, http.StatusMethodNotAllowed, r.Method+" /api/"+p+" is not an API endpoint")
	}
}

// csrfProblem checks a state-changing request comes from this page: JSON
// (a cross-site form cannot send it without a CORS preflight, which this
// server never grants) and, when the browser says, from the same origin.
func (h *Handler) csrfProblem(r *http.Request) string {
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "application/json" {
		return "API calls must be Content-Type: application/json"
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.EqualFold(u.Host, r.Host) {
			return fmt.Sprintf("cross-origin request from %s refused", o)
		}
	}
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" && s != "same-origin" && s != "none" {
		return "cross-site request refused (Sec-Fetch-Site: " + s + ")"
	}
	return ""
}

func statusOf(err error) int {
	var ce *CallError
	if errors.As(err, &ce) {
		return ce.Status
	}
	if errors.Is(err, store.ErrNotFound) {
		return http.StatusNotFound
	}
	if errors.Is(err, context.Canceled) {
		return http.StatusServiceUnavailable
	}
	return http.StatusUnprocessableEntity
}

// downloadRequest reads what every revision download needs: a workbench, a
// ?rev= revision id and a ?format= (defaultFormat when absent). It answers the
// request itself (404/400, with usage) and returns ok false when one is missing.
func (h *Handler) downloadRequest(w http.ResponseWriter, r *http.Request, usage, defaultFormat string) (rev int64, format string, ok bool) {
	if h.opts.Workbench == nil {
		writeError(w, http.StatusNotFound, "no workbench")
		return 0, "", false
	}
	q := r.URL.Query()
	rev, err := strconv.ParseInt(q.Get("rev"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, usage)
		return 0, "", false
	}
	if format = q.Get("format"); format == "" {
		format = defaultFormat
	}
	return rev, format, true
}

func (h *Handler) serveExport(w http.ResponseWriter, r *http.Request) {
	rev, format, ok := h.downloadRequest(w, r, "export needs ?rev=<revision id>&format=<"+strings.Join(app.FormatNames(), "|")+">", "pdf")
	if !ok {
		return
	}
	q := r.URL.Query()
	// Report options (app.ExportOptions): title, min (severity), accepted=0, sections.
	opts := app.ExportOptions{Title: q.Get("title"), MinSeverity: q.Get("min"), ExcludeAccepted: q.Get("accepted") == "0"}
	if v := q.Get("sections"); v != "" {
		opts.Sections = strings.Split(v, ",") // summary,findings,...: the report's parts (app.ExportOptions)
	}
	d, err := app.RenderReportWith(r.Context(), h.opts.Workbench, rev, format, opts)
	writeDownloadOrError(w, d, err)
}

// serveDiagram downloads a revision's diagram: ?rev=&format=svg|png, with the
// view on screen (&focus=&collapse=).
func (h *Handler) serveDiagram(w http.ResponseWriter, r *http.Request) {
	rev, format, ok := h.downloadRequest(w, r, "diagram download needs ?rev=<revision id>&format=<"+strings.Join(output.WorkbenchNames(output.KindDiagram), "|")+">", "svg")
	if !ok {
		return
	}
	q := r.URL.Query()
	d, err := app.RenderDiagram(r.Context(), h.opts.Workbench, rev, format, q.Get("focus"), q.Get("collapse"))
	writeDownloadOrError(w, d, err)
}

func (h *Handler) serveProject(w http.ResponseWriter, r *http.Request) {
	if h.opts.Workbench == nil {
		writeError(w, http.StatusNotFound, "no workbench")
		return
	}
	id, err := strconv.ParseInt(r.URL.Query().Get("id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "project download needs ?id=<project id>")
		return
	}
	d, err := app.RenderProjectFile(r.Context(), h.opts.Workbench, id)
	if err != nil {
		writeError(w, statusOf(err), err.Error())
		return
	}
	writeDownload(w, d)
}

// writeDownloadOrError sends a rendered download, or the error that kept it
// from being rendered.
func writeDownloadOrError(w http.ResponseWriter, d *app.Download, err error) {
	if err != nil {
		writeError(w, statusOf(err), err.Error())
		return
	}
	writeDownload(w, d)
}

func writeDownload(w http.ResponseWriter, d *app.Download) {
	w.Header().Set("Content-Type", d.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.FileName}))
	w.Header().Set("Content-Length", strconv.Itoa(len(d.Data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(d.Data)
}

// serveStatic serves the frontend; unknown paths without an extension get
// index.html (client-side routes).
func (h *Handler) serveStatic(w http.ResponseWriter, r *http.Request) {
	if h.static == nil || h.index == nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		fmt.Fprintln(w, "samthreat: the frontend is not built into this binary (run `make frontend` and rebuild). The API is at /api/.")
		return
	}
	p := path.Clean("/" + r.URL.Path)
	if p != "/" {
		if st, err := fs.Stat(h.opts.Assets, strings.TrimPrefix(p, "/")); err == nil && !st.IsDir() {
			if strings.HasPrefix(p, "/assets/") {
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			}
			h.static.ServeHTTP(w, r)
			return
		}
		if path.Ext(p) != "" {
			http.NotFound(w, r)
			return
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(withBoot(h.index, h.bootScript()))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(map[string]string{"error": "encoding the result: " + oneLine(err.Error())})
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": oneLine(msg)})
}

// NewServer wraps h in an http.Server with timeouts suited to the workbench
// (reports can take a while; event streams lift their own write deadline).
func NewServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

// drain reads and discards what is left of a refused request's body (up to
// MaxBody), so the browser reads the answer instead of a reset connection.
func drain(r *http.Request) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, MaxBody))
}
