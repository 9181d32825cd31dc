package consent

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Regression: crumb.js re-activated a blocked element by
// moving its data-crumb-* attributes back, and then removes its hidden
// attribute. The rewriter never adds hidden (a hidden frame is a beacon and
// is removed, not blocked), so the hidden it removes is always the site's
// own. Before this session only frames were re-activated this way; now an
// <img> or <source> whose srcset had a refused candidate and a <video>
// whose poster was refused are too, and a site's <img hidden srcset=...>
// (a carousel slide, a lazily revealed picture) becomes visible the moment
// the visitor grants the category. The documented re-activation (see
// rewrite.Rewriter: "move it back") says nothing about hidden.
//
// The script runs in node against a minimal DOM stand-in: one blocked
// <img hidden> and a submit answered with the category granted.
func TestScriptKeepsSitesHiddenAttribute(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not on PATH")
	}
	script, err := filepath.Abs(filepath.Join("internal", "banner", "assets", "crumb.js"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(t.Context(), node, "-e", hiddenImageHarness, "--", script).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	want := `{"hidden":"","src":"/a.png","srcset":"https://x.example/a.png 1x"}`
	if diff := cmp.Diff(want, sortedJSON(t, node, string(out))); diff != "" {
		t.Errorf("attributes of the re-activated <img hidden> (-want +got):\n%s", diff)
	}
}

// sortedJSON re-serialises a flat JSON object with sorted keys.
func sortedJSON(t *testing.T, node, js string) string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), node, "-e",
		`const o=JSON.parse(process.argv[1]);const r={};for(const k of Object.keys(o).sort())r[k]=o[k];process.stdout.write(JSON.stringify(r))`,
		"--", js).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	return string(out)
}

// hiddenImageHarness loads crumb.js (process.argv[1]) against a DOM stand-in and
// prints the attributes of the blocked image after a granting submit.
const hiddenImageHarness = `// minimal DOM stub for crumb.js
const fs=require('fs');const src=fs.readFileSync(process.argv[1],'utf8');
function el(tag,attrs){return{tagName:tag,attrs:Object.assign({},attrs),
 getAttribute(k){return k in this.attrs?this.attrs[k]:null},hasAttribute(k){return k in this.attrs},
 setAttribute(k,v){this.attrs[k]=String(v)},removeAttribute(k){delete this.attrs[k]},
 matches(){return false},get attributes(){return Object.entries(this.attrs).map(([name,value])=>({name,value}))}}}
const img=el('IMG',{hidden:'','data-crumb-category':'analytics','data-crumb-srcset':'https://x.example/a.png 1x',src:'/a.png'});
let listener;
const form={hasAttribute(k){return k==='data-crumb-form'},getAttribute(k){return k==='action'?'/consent':null},isConnected:false,matches(){return false}};
global.document={querySelectorAll(sel){return sel==='[data-crumb-category]'?[img]:[]},querySelector(){return null},
 addEventListener(t,f){if(t==='submit')listener=f},dispatchEvent(){}};
global.window={fetch:()=>Promise.resolve({ok:true,json:()=>({granted:['necessary','analytics']})})};
global.fetch=window.fetch;global.URLSearchParams=class{append(){}get(){return null}};global.FormData=class{};global.CustomEvent=class{};
global.location={href:'/'};
eval(src);
listener({target:form,submitter:null,preventDefault(){}});
setTimeout(()=>{process.stdout.write(JSON.stringify(img.attrs))},50);
`
