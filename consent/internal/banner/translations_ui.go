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

// uiStrings maps each built-in language to the strings above.
func uiStrings() map[string]map[string]string {
	return map[string]map[string]string{
		"en": {KeyBack: "Back to the site", KeyOn: "On", KeyOff: "Off", KeyEmbedOnce: "Load once", KeyEmbedAlways: "Always allow",
			KeyEmbedStored:   "“Always allow” saves your choice; “Load once” saves nothing.",
			KeyDeclLifetimes: "Lifetimes are the longest a cookie is kept. A cookie that a script writes in your browser is deleted on your next visit once you withdraw your consent or it expires."},
		"bg": {KeyBack: "Обратно към сайта", KeyOn: "Включено", KeyOff: "Изключено", KeyEmbedOnce: "Зареждане веднъж", KeyEmbedAlways: "Винаги разрешавай",
			KeyEmbedStored:   "„Винаги разрешавай“ запазва избора ви, „Зареждане веднъж“ не запазва нищо.",
			KeyDeclLifetimes: "Посоченият срок е най-дългото време, за което се пази бисквитката. Бисквитка, записана от скрипт във вашия браузър, се изтрива при следващото ви посещение, след като оттеглите съгласието си или то изтече."},
		"cs": {KeyBack: "Zpět na web", KeyOn: "Zapnuto", KeyOff: "Vypnuto", KeyEmbedOnce: "Načíst jednou", KeyEmbedAlways: "Vždy povolit",
			KeyEmbedStored:   "„Vždy povolit“ uloží vaši volbu, „Načíst jednou“ neuloží nic.",
			KeyDeclLifetimes: "Uvedená doba platnosti je nejdelší doba, po kterou se soubor cookie uchovává. Soubor cookie, který zapíše skript ve vašem prohlížeči, se smaže při vaší příští návštěvě, jakmile odvoláte souhlas nebo jeho platnost vyprší."},
		"da": {KeyBack: "Tilbage til webstedet", KeyOn: "Til", KeyOff: "Fra", KeyEmbedOnce: "Indlæs én gang", KeyEmbedAlways: "Tillad altid",
			KeyEmbedStored:   "»Tillad altid« gemmer dit valg; »Indlæs én gang« gemmer intet.",
			KeyDeclLifetimes: "Udløbstiden er det længste, en cookie gemmes. En cookie, som et script skriver i din browser, slettes ved dit næste besøg, når du har trukket dit samtykke tilbage, eller det er udløbet."},
		"de": {KeyBack: "Zurück zur Website", KeyOn: "An", KeyOff: "Aus", KeyEmbedOnce: "Einmal laden", KeyEmbedAlways: "Immer erlauben",
			KeyEmbedStored:   "„Immer erlauben“ speichert Ihre Wahl, „Einmal laden“ speichert nichts.",
			KeyDeclLifetimes: "Die Speicherdauer ist die längste Zeit, die ein Cookie behalten wird. Ein Cookie, das ein Skript in Ihrem Browser schreibt, wird bei Ihrem nächsten Besuch gelöscht, sobald Sie Ihre Einwilligung widerrufen haben oder sie abgelaufen ist."},
		"el": {KeyBack: "Επιστροφή στον ιστότοπο", KeyOn: "Ενεργό", KeyOff: "Ανενεργό", KeyEmbedOnce: "Φόρτωση μία φορά", KeyEmbedAlways: "Να επιτρέπεται πάντα",
			KeyEmbedStored:   "Το «Να επιτρέπεται πάντα» αποθηκεύει την επιλογή σας, το «Φόρτωση μία φορά» δεν αποθηκεύει τίποτα.",
			KeyDeclLifetimes: "Η διάρκεια που αναφέρεται είναι ο μέγιστος χρόνος διατήρησης ενός cookie. Ένα cookie που γράφει ένα σενάριο στο πρόγραμμα περιήγησής σας διαγράφεται στην επόμενη επίσκεψή σας, όταν ανακαλέσετε τη συγκατάθεσή σας ή όταν αυτή λήξει."},
		"es": {KeyBack: "Volver al sitio", KeyOn: "Activado", KeyOff: "Desactivado", KeyEmbedOnce: "Cargar una vez", KeyEmbedAlways: "Permitir siempre",
			KeyEmbedStored:   "«Permitir siempre» guarda su elección; «Cargar una vez» no guarda nada.",
			KeyDeclLifetimes: "La duración indicada es el tiempo máximo que se conserva una cookie. Una cookie que un script escribe en su navegador se elimina en su siguiente visita una vez que retire su consentimiento o este caduque."},
		"et": {KeyBack: "Tagasi saidile", KeyOn: "Sees", KeyOff: "Väljas", KeyEmbedOnce: "Laadi üks kord", KeyEmbedAlways: "Luba alati",
			KeyEmbedStored:   "„Luba alati“ salvestab teie valiku, „Laadi üks kord“ ei salvesta midagi.",
			KeyDeclLifetimes: "Kehtivusaeg on pikim aeg, mille jooksul küpsist säilitatakse. Küpsis, mille skript teie brauserisse kirjutab, kustutatakse teie järgmisel külastusel, kui olete nõusoleku tagasi võtnud või see on aegunud."},
		"fi": {KeyBack: "Takaisin sivustolle", KeyOn: "Päällä", KeyOff: "Pois", KeyEmbedOnce: "Lataa kerran", KeyEmbedAlways: "Salli aina",
			KeyEmbedStored:   "”Salli aina” tallentaa valintasi, ”Lataa kerran” ei tallenna mitään.",
			KeyDeclLifetimes: "Voimassaoloaika on pisin aika, jonka evästettä säilytetään. Komentosarjan selaimeesi kirjoittama eväste poistetaan seuraavalla käynnilläsi, kun olet peruuttanut suostumuksesi tai se on vanhentunut."},
		"fr": {KeyBack: "Retour au site", KeyOn: "Activé", KeyOff: "Désactivé", KeyEmbedOnce: "Charger une fois", KeyEmbedAlways: "Toujours autoriser",
			KeyEmbedStored:   "«\u00a0Toujours autoriser\u00a0» enregistre votre choix\u00a0; «\u00a0Charger une fois\u00a0» n’enregistre rien.",
			KeyDeclLifetimes: "La durée indiquée est la plus longue pendant laquelle un cookie est conservé. Un cookie écrit par un script dans votre navigateur est supprimé lors de votre visite suivante dès que vous avez retiré votre consentement ou qu’il a expiré."},
		"ga": {KeyBack: "Ar ais chuig an suíomh", KeyOn: "Ar siúl", KeyOff: "Múchta", KeyEmbedOnce: "Luchtaigh uair amháin", KeyEmbedAlways: "Ceadaigh i gcónaí",
			KeyEmbedStored:   "Sábhálann “Ceadaigh i gcónaí” do rogha; ní shábhálann “Luchtaigh uair amháin” aon rud.",
			KeyDeclLifetimes: "Is é an saolré an tréimhse is faide a choinnítear fianán. Scriostar fianán a scríobhann script i do bhrabhsálaí ar do chéad chuairt eile nuair a tharraingíonn tú do thoiliú siar nó nuair a théann sé in éag."},
		"hr": {KeyBack: "Natrag na stranicu", KeyOn: "Uključeno", KeyOff: "Isključeno", KeyEmbedOnce: "Učitaj jednom", KeyEmbedAlways: "Uvijek dopusti",
			KeyEmbedStored:   "„Uvijek dopusti” sprema vaš odabir, „Učitaj jednom” ne sprema ništa.",
			KeyDeclLifetimes: "Navedeno trajanje najdulje je vrijeme čuvanja kolačića. Kolačić koji skripta zapiše u vaš preglednik briše se pri sljedećem posjetu nakon što povučete privolu ili ona istekne."},
		"hu": {KeyBack: "Vissza a webhelyre", KeyOn: "Be", KeyOff: "Ki", KeyEmbedOnce: "Betöltés egyszer", KeyEmbedAlways: "Mindig engedélyezem",
			KeyEmbedStored:   "A „Mindig engedélyezem” megjegyzi a választását, a „Betöltés egyszer” semmit sem ment.",
			KeyDeclLifetimes: "A feltüntetett élettartam a süti leghosszabb megőrzési ideje. Egy szkript által a böngészőjébe írt sütit a következő látogatásakor töröljük, ha visszavonta a hozzájárulását, vagy az lejárt."},
		"it": {KeyBack: "Torna al sito", KeyOn: "Attivo", KeyOff: "Disattivo", KeyEmbedOnce: "Carica una volta", KeyEmbedAlways: "Consenti sempre",
			KeyEmbedStored:   "«Consenti sempre» salva la tua scelta; «Carica una volta» non salva nulla.",
			KeyDeclLifetimes: "La durata indicata è il tempo massimo di conservazione di un cookie. Un cookie scritto da uno script nel tuo browser viene eliminato alla visita successiva dopo che hai revocato il consenso o alla sua scadenza."},
		"lt": {KeyBack: "Grįžti į svetainę", KeyOn: "Įjungta", KeyOff: "Išjungta", KeyEmbedOnce: "Įkelti vieną kartą", KeyEmbedAlways: "Visada leisti",
			KeyEmbedStored:   "„Visada leisti“ įsimena jūsų pasirinkimą, „Įkelti vieną kartą“ nieko neįsimena.",
			KeyDeclLifetimes: "Nurodytas galiojimo laikas yra ilgiausias laikas, kiek slapukas saugomas. Slapukas, kurį scenarijus įrašo jūsų naršyklėje, ištrinamas kito apsilankymo metu, kai atšaukiate sutikimą arba jo galiojimas baigiasi."},
		"lv": {KeyBack: "Atpakaļ uz vietni", KeyOn: "Ieslēgts", KeyOff: "Izslēgts", KeyEmbedOnce: "Ielādēt vienreiz", KeyEmbedAlways: "Vienmēr atļaut",
			KeyEmbedStored:   "“Vienmēr atļaut” saglabā jūsu izvēli; “Ielādēt vienreiz” neko nesaglabā.",
			KeyDeclLifetimes: "Norādītais derīguma termiņš ir ilgākais laiks, cik sīkdatne tiek glabāta. Sīkdatne, ko skripts ieraksta jūsu pārlūkā, tiek dzēsta nākamajā apmeklējumā, kad esat atsaucis piekrišanu vai tās termiņš ir beidzies."},
		"mt": {KeyBack: "Lura għas-sit", KeyOn: "Mixgħul", KeyOff: "Mitfi", KeyEmbedOnce: "Għabbi darba", KeyEmbedAlways: "Dejjem ippermetti",
			KeyEmbedStored:   "“Dejjem ippermetti” jiftakar l-għażla tiegħek; “Għabbi darba” ma jiftakar xejn.",
			KeyDeclLifetimes: "It-tul muri huwa l-itwal żmien li cookie tinżamm. Cookie miktuba minn script fil-browser tiegħek titħassar fiż-żjara li jmiss tiegħek meta tirtira l-kunsens tiegħek jew meta dan jiskadi."},
		"nl": {KeyBack: "Terug naar de site", KeyOn: "Aan", KeyOff: "Uit", KeyEmbedOnce: "Eén keer laden", KeyEmbedAlways: "Altijd toestaan",
			KeyEmbedStored:   "‘Altijd toestaan’ onthoudt uw keuze; ‘Eén keer laden’ onthoudt niets.",
			KeyDeclLifetimes: "De bewaartermijn is de langste tijd dat een cookie wordt bewaard. Een cookie die een script in uw browser schrijft, wordt bij uw volgende bezoek verwijderd zodra u uw toestemming hebt ingetrokken of die is verlopen."},
		"pl": {KeyBack: "Wróć do serwisu", KeyOn: "Włączone", KeyOff: "Wyłączone", KeyEmbedOnce: "Załaduj raz", KeyEmbedAlways: "Zawsze zezwalaj",
			KeyEmbedStored:   "„Zawsze zezwalaj” zapisuje Twój wybór, „Załaduj raz” niczego nie zapisuje.",
			KeyDeclLifetimes: "Podany okres przechowywania to najdłuższy czas, przez jaki plik cookie jest przechowywany. Plik cookie zapisany przez skrypt w Twojej przeglądarce jest usuwany podczas następnej wizyty, gdy wycofasz zgodę lub gdy ona wygaśnie."},
		"pt": {KeyBack: "Voltar ao site", KeyOn: "Ligado", KeyOff: "Desligado", KeyEmbedOnce: "Carregar uma vez", KeyEmbedAlways: "Permitir sempre",
			KeyEmbedStored:   "«Permitir sempre» guarda a sua escolha; «Carregar uma vez» não guarda nada.",
			KeyDeclLifetimes: "A duração indicada é o tempo máximo de conservação de um cookie. Um cookie escrito por um script no seu navegador é eliminado na visita seguinte depois de retirar o consentimento ou de este expirar."},
		"ro": {KeyBack: "Înapoi la site", KeyOn: "Activat", KeyOff: "Dezactivat", KeyEmbedOnce: "Încarcă o dată", KeyEmbedAlways: "Permite întotdeauna",
			KeyEmbedStored:   "„Permite întotdeauna” salvează alegerea; „Încarcă o dată” nu salvează nimic.",
			KeyDeclLifetimes: "Durata indicată este perioada maximă în care este păstrat un cookie. Un cookie scris de un script în browserul dvs. este șters la următoarea vizită după ce vă retrageți consimțământul sau acesta expiră."},
		"sk": {KeyBack: "Späť na web", KeyOn: "Zapnuté", KeyOff: "Vypnuté", KeyEmbedOnce: "Načítať raz", KeyEmbedAlways: "Vždy povoliť",
			KeyEmbedStored:   "„Vždy povoliť“ uloží vašu voľbu, „Načítať raz“ neuloží nič.",
			KeyDeclLifetimes: "Uvedená doba platnosti je najdlhší čas, počas ktorého sa súbor cookie uchováva. Súbor cookie, ktorý zapíše skript vo vašom prehliadači, sa vymaže pri vašej ďalšej návšteve, keď odvoláte súhlas alebo jeho platnosť uplynie."},
		"sl": {KeyBack: "Nazaj na spletno mesto", KeyOn: "Vklopljeno", KeyOff: "Izklopljeno", KeyEmbedOnce: "Naloži enkrat", KeyEmbedAlways: "Vedno dovoli",
			KeyEmbedStored:   "»Vedno dovoli« shrani vašo izbiro, »Naloži enkrat« ne shrani ničesar.",
			KeyDeclLifetimes: "Navedeno trajanje je najdaljši čas hrambe piškotka. Piškotek, ki ga skript zapiše v vaš brskalnik, se izbriše ob vašem naslednjem obisku, ko prekličete privolitev ali ta poteče."},
		"sv": {KeyBack: "Tillbaka till webbplatsen", KeyOn: "På", KeyOff: "Av", KeyEmbedOnce: "Läs in en gång", KeyEmbedAlways: "Tillåt alltid",
			KeyEmbedStored:   "”Tillåt alltid” sparar ditt val, ”Läs in en gång” sparar ingenting.",
			KeyDeclLifetimes: "Livslängden är den längsta tid en kaka sparas. En kaka som ett skript skriver i din webbläsare raderas vid ditt nästa besök när du har återkallat ditt samtycke eller det har gått ut."},
	}
}
