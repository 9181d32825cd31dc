package banner

// embedStrings holds the placeholder strings of the 23 languages besides
// English, kept apart from the page strings so that each table stays one
// screen per language.
func embedStrings() map[string]map[string]string {
	return map[string]map[string]string{
		"bg": {KeyEmbedText: "Съдържанието от %s е блокирано, докато не приемете бисквитки за: %s.", KeyEmbedLoad: "Разрешаване и зареждане"},
		"cs": {KeyEmbedText: "Obsah z %s je zablokován, dokud nepřijmete soubory cookie pro tyto účely: %s.", KeyEmbedLoad: "Povolit a načíst"},
		"da": {KeyEmbedText: "Indhold fra %s er blokeret, indtil du accepterer cookies til: %s.", KeyEmbedLoad: "Tillad og indlæs"},
		"de": {KeyEmbedText: "Inhalte von %s sind blockiert, bis Sie Cookies für folgende Zwecke akzeptieren: %s.", KeyEmbedLoad: "Erlauben und laden"},
		"el": {KeyEmbedText: "Το περιεχόμενο από %s είναι αποκλεισμένο μέχρι να αποδεχτείτε cookies για: %s.", KeyEmbedLoad: "Αποδοχή και φόρτωση"},
		"es": {KeyEmbedText: "El contenido de %s está bloqueado hasta que acepte cookies para: %s.", KeyEmbedLoad: "Permitir y cargar"},
		"et": {KeyEmbedText: "Sisu saidilt %s on blokeeritud, kuni nõustute küpsistega järgmistel eesmärkidel: %s.", KeyEmbedLoad: "Luba ja laadi"},
		"fi": {KeyEmbedText: "Sisältö osoitteesta %s on estetty, kunnes hyväksyt evästeet seuraaviin tarkoituksiin: %s.", KeyEmbedLoad: "Salli ja lataa"},
		"fr": {KeyEmbedText: "Le contenu de %s est bloqué tant que vous n’acceptez pas les cookies pour\u00a0: %s.", KeyEmbedLoad: "Autoriser et charger"},
		"ga": {KeyEmbedText: "Tá ábhar ó %s blocáilte go dtí go nglacann tú le fianáin le haghaidh: %s.", KeyEmbedLoad: "Ceadaigh agus luchtaigh"},
		"hr": {KeyEmbedText: "Sadržaj s %s blokiran je dok ne prihvatite kolačiće za: %s.", KeyEmbedLoad: "Dopusti i učitaj"},
		"hu": {KeyEmbedText: "A(z) %s oldalról származó tartalom le van tiltva, amíg el nem fogadja a sütiket a következő célokra: %s.", KeyEmbedLoad: "Engedélyezés és betöltés"},
		"it": {KeyEmbedText: "Il contenuto di %s è bloccato finché non accetti i cookie per: %s.", KeyEmbedLoad: "Consenti e carica"},
		"lt": {KeyEmbedText: "Turinys iš %s užblokuotas, kol nesutiksite su slapukais šiais tikslais: %s.", KeyEmbedLoad: "Leisti ir įkelti"},
		"lv": {KeyEmbedText: "Saturs no %s ir bloķēts, līdz jūs piekrītat sīkdatnēm šādiem nolūkiem: %s.", KeyEmbedLoad: "Atļaut un ielādēt"},
		"mt": {KeyEmbedText: "Il-kontenut minn %s huwa mblukkat sakemm taċċetta cookies għal: %s.", KeyEmbedLoad: "Ippermetti u għabbi"},
		"nl": {KeyEmbedText: "Inhoud van %s is geblokkeerd totdat u cookies accepteert voor: %s.", KeyEmbedLoad: "Toestaan en laden"},
		"pl": {KeyEmbedText: "Treści z %s są zablokowane, dopóki nie zaakceptujesz plików cookie w następujących celach: %s.", KeyEmbedLoad: "Zezwól i załaduj"},
		"pt": {KeyEmbedText: "O conteúdo de %s está bloqueado até aceitar cookies para: %s.", KeyEmbedLoad: "Permitir e carregar"},
		"ro": {KeyEmbedText: "Conținutul de la %s este blocat până când acceptați cookie-uri pentru: %s.", KeyEmbedLoad: "Permite și încarcă"},
		"sk": {KeyEmbedText: "Obsah z %s je zablokovaný, kým neprijmete súbory cookie na tieto účely: %s.", KeyEmbedLoad: "Povoliť a načítať"},
		"sl": {KeyEmbedText: "Vsebina z %s je blokirana, dokler ne sprejmete piškotkov za: %s.", KeyEmbedLoad: "Dovoli in naloži"},
		"sv": {KeyEmbedText: "Innehåll från %s är blockerat tills du godkänner kakor för: %s.", KeyEmbedLoad: "Tillåt och läs in"},
	}
}
