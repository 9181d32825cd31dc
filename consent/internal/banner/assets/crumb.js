/* crumb progressive consent script: optional; every control works without it. */
(function(d){
"use strict";
var P="data-crumb-";
/* a page may load it twice (the banner and a placeholder): listen once */
if(d.crumbJS)return;d.crumbJS=1;
/* give a blocked element back what the rewriter moved aside */
function wake(e){
var s=e.getAttribute(P+"src"),n,i,a;
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
["srcdoc","srcset","poster","data","src","href","background","style"].forEach(function(k){
if((a=e.getAttribute(P+k))!==null){e.removeAttribute(P+k);e.setAttribute(k,a)}
});
/* a media element picks its <source> once: give it the restored one */
n=e.parentElement;
if(e.tagName=="SOURCE"&&n&&n.load)n.load()
}
}
function activate(granted){
d.querySelectorAll("["+P+"category]").forEach(function(e){
if(granted.indexOf(e.getAttribute(P+"category"))<0)return;
/* the rewriter's stand-in for a blocked frame, and its form wherever the parser put it */
if(e.matches(".crumb-placeholder,.crumb-ph-form"))return e.remove();
wake(e)
})
}
function banner(){return d.querySelector("["+P+"banner]")}
/* "Load once": this embed, this page view, nothing stored */
d.addEventListener("click",function(ev){
var a=ev.target.closest&&ev.target.closest("["+P+"once]"),f,p,e;
if(!a)return;
f=a.closest(".crumb-ph-form");p=a.closest(".crumb-placeholder")||f;e=p;
while((e=e.nextElementSibling)&&e.matches(".crumb-ph-form"));
if(!e||!e.hasAttribute(P+"category"))return;
ev.preventDefault();
wake(e);p.remove();f&&f.remove()
});
/* Escape minimises the banner to its "Cookie settings" link */
d.addEventListener("keydown",function(ev){
var b=banner(),m;
if(ev.key!="Escape"||!b||!(b.contains(ev.target)||ev.target==d.body))return;
m=b.querySelector("["+P+"mini]");
if(!m||!m.hidden)return;
b.querySelector("form").hidden=true;b.classList.add("crumb-min");
m.hidden=false;m.focus()
});
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
var g=j.granted||[],box=banner(),st=d.querySelector("["+P+"status]"),ret=body.get("return");
/* the page's content policy changed with the decision: granted hosts load, withdrawn ones stop, only in a page loaded again */
if(j.reload&&!st){location.reload();return}
activate(g);
if(window.gtag&&j.consentMode)window.gtag("consent","update",j.consentMode);
if(box)box.remove();
else if(st){
st.textContent=f.getAttribute(P+"saved");
/* the preferences page goes back where it was opened from, as the plain form does */
if(ret&&ret!=location.pathname)location.assign(ret)
}
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
