package suites_test

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The HTML report is checked in a real browser: headless Chromium loads it,
// runs its script under its own Content-Security-Policy, and the test reads
// the DOM it ends with and the pixels it draws. CI installs Debian's
// chromium so that this runs there.

// chromium finds a Chromium or Chrome binary, or says how to get one.
func chromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: the browser test starts Chromium")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium to check the HTML report in (looked for chromium, chromium-browser, google-chrome): install it, on Debian with apt-get install chromium")
	return ""
}

// headless runs Chromium on url with args, a profile of its own, and a
// generous timeout: the machines that run this are often busy.
func headless(t *testing.T, bin, url string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args = append([]string{"--headless=new", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + t.TempDir()}, args...)
	cmd := exec.CommandContext(ctx, bin, append(args, url)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, stderr.Bytes())
	}
	t.Logf("chromium %s took %v", args[len(args)-1], time.Since(start).Round(time.Millisecond))
	return out
}

func TestHTMLInBrowser(t *testing.T) {
	bin := chromium(t)
	rep := corpusSample(t)
	tot := rep.Total()
	var page bytes.Buffer
	if err := rep.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	// The first broken case: its link should open its details.
	anchor := regexp.MustCompile(`<a class="broken" href="#(case-[0-9]+)"`).FindSubmatch(page.Bytes())
	if anchor == nil {
		t.Fatal("no link to a broken case")
	}
	url := "file://" + file

	t.Run("dom", func(t *testing.T) {
		dom := string(headless(t, bin, url+"#"+string(anchor[1]), "--dump-dom"))
		for _, want := range []string{
			fmt.Sprintf(`id="total-pass"><b>%d</b> pass`, tot.Pass),
			fmt.Sprintf(`id="total-fail"><b>%d</b> fail`, tot.Fail),
			fmt.Sprintf(`id="total-known"><b>%d</b> known`, tot.Known),
			fmt.Sprintf(`id="total-skip"><b>%d</b> skip`, tot.Skip),
			fmt.Sprintf(`id="total-broken"><b>%d</b> broken`, tot.Broken),
			// The hostile label and error are text in the DOM.
			`sample client 1.0 &lt;script&gt;alert("owned")&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;`,
			`exit status 2: &lt;script&gt;alert("owned")&lt;/script&gt;`,
		} {
			if !strings.Contains(dom, want) {
				t.Errorf("the rendered DOM lacks %q", want)
			}
		}
		if n := strings.Count(dom, "<script"); n != 1 {
			t.Errorf("%d script elements in the rendered DOM, want the page's one", n)
		}
		if strings.Contains(dom, "<img") {
			t.Error("an img element in the rendered DOM")
		}
		// The page's script ran, allowed by the policy's hash: the
		// linked case is open.
		open := regexp.MustCompile(`<details id="` + string(anchor[1]) + `" class="case" open="">`)
		if !open.MatchString(dom) {
			t.Errorf("the case the URL names (%s) is not open: the page's script did not run", anchor[1])
		}
		// One cell per case, classed by its outcome.
		cells := map[string]int{}
		for _, m := range regexp.MustCompile(`<(?:a|span) class="(pass|fail|known|skip|broken)( unmet)?"[^>]* title="`).FindAllStringSubmatch(dom, -1) {
			cells[m[1]]++
		}
		want := map[string]int{"pass": tot.Pass, "fail": tot.Fail, "known": tot.Known, "skip": tot.Skip, "broken": tot.Broken}
		for class, n := range want {
			if cells[class] != n {
				t.Errorf("%d cells of class %q, want %d", cells[class], class, n)
			}
		}
	})

	t.Run("colours", func(t *testing.T) {
		shot := filepath.Join(t.TempDir(), "report.png")
		headless(t, bin, url, "--screenshot="+shot, "--window-size=1400,2400", "--hide-scrollbars")
		f, err := os.Open(shot)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		img, err := png.Decode(f)
		if err != nil {
			t.Fatal(err)
		}
		// Each outcome's colour, as the stylesheet defines it, is drawn:
		// at least a few cells' worth of pixels of each.
		colours := map[string]color.RGBA{}
		for _, m := range regexp.MustCompile(`--(pass|fail|known|skip|broken): #([0-9a-f]{6});`).FindAllSubmatch(page.Bytes(), -1) {
			var c color.RGBA
			fmt.Sscanf(string(m[2]), "%02x%02x%02x", &c.R, &c.G, &c.B)
			c.A = 0xff
			colours[string(m[1])] = c
		}
		if len(colours) != 5 {
			t.Fatalf("the stylesheet defines %d outcome colours, want 5: %v", len(colours), colours)
		}
		count := map[color.RGBA]int{}
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r, g, bl, a := img.At(x, y).RGBA()
				count[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), uint8(a >> 8)}]++
			}
		}
		for name, c := range colours {
			if n := count[c]; n < 3*11*11 {
				t.Errorf("%s (#%02x%02x%02x): %d pixels drawn, want at least three cells' worth", name, c.R, c.G, c.B, n)
			}
		}
	})
}
