package banner

// The strings of the pages' navigation, the switches' state, the
// placeholder's two choices and the declaration's note on lifetimes, kept in
// one table so that the language tables stay as they were.
const (
	KeyBack          = "link.back"      // the pages' link back to the page the visitor came from
	KeyOn            = "prefs.on"       // shown next to a switch that is on
	KeyOff           = "prefs.off"      // shown next to a switch that is off
	KeyEmbedOnce     = "embed.once"     // placeholder choice: load this embed for this page view, store nothing
	KeyEmbedAlways   = "embed.always"   // placeholder choice: grant the category, which is stored
	KeyEmbedStored   = "embed.stored"   // placeholder note: which of the two choices is remembered
	KeyDeclLifetimes = "decl.lifetimes" // declaration note: what bounds a cookie's lifetime
)
