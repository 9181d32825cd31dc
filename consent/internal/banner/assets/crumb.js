/* crumb progressive consent script: optional; every control works without it. */
(function(d){
"use strict";
var P="data-crumb-";
/* a page may load it twice (the banner and a placeholder): listen once */
if(d.crumbJS)return;d.crumbJS=1;
function activate(granted){
d.querySelectorAll("["+P+"category]").forEach(function(e){
var c=e.getAttribute(P+"category"),s=e.getAttribute(P+"src"),n,i,a;
if(granted.indexOf(c)<0)return;
/* the rewriter's stand-in for a blocked frame, and its form wherever the parser put it */
if(e.matches(".crumb-placeholder,.crumb-ph-form"))return e.remove();
if(e.tagName=="SCRIPT"){
/* changing type on a parsed script never runs it: build a new one */
n=d.createElement("script");
for(i=0;i<e.attributes.length;i++){a=e.attributes[i];if(a.name!="type"&&a.name.indexOf(P)!=0)n.setAttribute(a.name,a.value)}
if(e.hasAttribute(P+"type"))n.type=e.getAttribute(P+"type");
if(e.nonce)n.nonce=e.nonce;
/* keep document order among scripts that were not async */
if(!e.hasAttribute("async"))n.async=false;
if(s)n.src=s;else n.text=e.text;
e.replaceWith(n)
}else{
e.removeAttribute(P+"category");
/* an iframe's srcdoc wins over its src; image candidates go in before src, so one image loads */
["srcdoc","srcset","poster","data","src"].forEach(function(k){
if((a=e.getAttribute(P+k))!==null){e.removeAttribute(P+k);e.setAttribute(k,a)}
})
}
})
}
d.addEventListener("submit",function(ev){
var f=ev.target,b=ev.submitter,body;
if(!f.hasAttribute||!f.hasAttribute(P+"form")||!window.fetch)return;
ev.preventDefault();
body=new URLSearchParams(new FormData(f));
if(b&&b.name)body.append(b.name,b.value);
/* not f.action: the buttons named "action" shadow that property */
fetch(f.getAttribute("action")||location.href,{method:"POST",body:body,credentials:"same-origin",headers:{Accept:"application/json"}}).then(function(r){
if(!r.ok)throw r;
return r.json()
}).then(function(j){
/* any decision, a placeholder's too, settles the banner */
var g=j.granted||[],box=d.querySelector("["+P+"banner]"),st=d.querySelector("["+P+"status]");
activate(g);
if(window.gtag&&j.consentMode)window.gtag("consent","update",j.consentMode);
if(box)box.remove();
else if(st)st.textContent=f.getAttribute(P+"saved");
d.dispatchEvent(new CustomEvent("crumb:consent",{detail:j}));
/* a placeholder whose content did not activate in place: load the page again */
if(f.isConnected&&f.matches(".crumb-ph-form"))location.reload()
}).catch(function(){
/* the server or network refused the fetch: fall back to the plain form post */
var h=d.createElement("input");
if(b&&b.name){h.type="hidden";h.name=b.name;h.value=b.value;f.appendChild(h)}
f.submit()
})
})
})(document);
