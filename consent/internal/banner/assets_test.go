package banner

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/language"
)

func gzipSize(t *testing.T, s string) int {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Len()
}

// The budgets from issue 7: banner HTML with its CSS at most 4 KB gzip, the
// script at most 2 KB gzip. Measured in every language, the CSS inline.
func TestSizeBudgets(t *testing.T) {
	r := newRenderer(t, testOptions())
	worst, worstLang := 0, ""
	for _, tag := range r.Languages() {
		var b bytes.Buffer
		if err := r.Banner(&b, View{Lang: tag, ReturnTo: "/some/page?id=42", Nonce: "0123456789abcdef0123456789"}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b.Bytes(), []byte(Stylesheet())) {
			t.Fatalf("%s: the banner does not inline the whole stylesheet", tag)
		}
		if n := gzipSize(t, b.String()); n > worst {
			worst, worstLang = n, tag.String()
		}
	}
	t.Logf("largest banner with CSS: %d bytes gzip (%s); script: %d bytes gzip", worst, worstLang, gzipSize(t, Script()))
	if worst > 4096 {
		t.Errorf("banner HTML+CSS is %d bytes gzip in %s, budget 4096", worst, worstLang)
	}
	if n := gzipSize(t, Script()); n > 2048 {
		t.Errorf("script is %d bytes gzip, budget 2048", n)
	}
	// Linked instead of inlined, the two parts still fit together.
	opts := testOptions()
	opts.StylesheetURL = "/consent/crumb.css"
	r = newRenderer(t, opts)
	var b bytes.Buffer
	if err := r.Banner(&b, View{Lang: language.Bulgarian}); err != nil {
		t.Fatal(err)
	}
	if n := gzipSize(t, b.String()) + gzipSize(t, Stylesheet()); n > 4096 {
		t.Errorf("linked banner + stylesheet: %d bytes gzip, budget 4096", n)
	}
}

func TestETags(t *testing.T) {
	etag := regexp.MustCompile(`^"[0-9a-f]{24}"$`)
	for name, c := range map[string]struct{ body, tag string }{
		"script":     {Script(), ScriptETag()},
		"stylesheet": {Stylesheet(), StylesheetETag()},
	} {
		if !etag.MatchString(c.tag) {
			t.Errorf("%s ETag %s is not a strong quoted hash", name, c.tag)
		}
		sum := sha256.Sum256([]byte(c.body))
		if want := `"` + hex.EncodeToString(sum[:12]) + `"`; c.tag != want {
			t.Errorf("%s ETag %s does not follow its content (%s)", name, c.tag, want)
		}
	}
	if ScriptETag() == StylesheetETag() {
		t.Errorf("script and stylesheet share an ETag")
	}
}

// The script must parse; node is used when the machine has it.
func TestScriptSyntax(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed; the browser test covers the script")
	}
	f := filepath.Join(t.TempDir(), "crumb.js")
	if err := os.WriteFile(f, []byte(Script()), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(node, "--check", f).CombinedOutput(); err != nil {
		t.Errorf("node --check: %v\n%s", err, out)
	}
}

// Every --crumb-* custom property the stylesheet reads is documented in the
// README's theming table, and the table names no property that does not
// exist.
func TestCustomPropertiesDocumented(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "..", "README.md"))
	if err != nil {
		t.Skip("README.md not found next to the module root")
	}
	prop := regexp.MustCompile(`--crumb-[a-z-]+[a-z]`)
	used := map[string]bool{}
	for _, p := range prop.FindAllString(Stylesheet(), -1) {
		used[p] = true
	}
	if len(used) < 10 {
		t.Fatalf("the stylesheet reads only %d --crumb-* properties", len(used))
	}
	documented := map[string]bool{}
	for _, line := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(line, "| `--crumb-") {
			documented[prop.FindString(line)] = true
		}
	}
	for p := range used {
		if !documented[p] {
			t.Errorf("%s is read by the stylesheet but not in the README's theming table", p)
		}
	}
	for p := range documented {
		if !used[p] {
			t.Errorf("%s is in the README's theming table but the stylesheet never reads it", p)
		}
	}
}
