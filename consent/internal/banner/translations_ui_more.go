package banner

import "strings"

// uiStringsMore holds the strings of translations_ui.go for the languages
// beyond the EU's 24 that crumb is adding (Europe's other regimes and the
// largest languages of a global site), so that each language's table finds
// them whatever file it lives in. A language that is not built in ignores
// its entry here.
func uiStringsMore() map[string]map[string]string {
	return map[string]map[string]string{
		"nb": {KeyBack: "Tilbake til nettstedet", KeyOn: "På", KeyOff: "Av", KeyEmbedOnce: "Last inn én gang", KeyEmbedAlways: "Tillat alltid",
			KeyEmbedStored:   "«Tillat alltid» lagrer valget ditt, «Last inn én gang» lagrer ingenting.",
			KeyDeclLifetimes: "Levetiden er det lengste en informasjonskapsel lagres. En informasjonskapsel som et skript skriver i nettleseren din, slettes ved ditt neste besøk når du har trukket tilbake samtykket ditt eller det har utløpt."},
		"is": {KeyBack: "Aftur á vefinn", KeyOn: "Kveikt", KeyOff: "Slökkt", KeyEmbedOnce: "Hlaða einu sinni", KeyEmbedAlways: "Leyfa alltaf",
			KeyEmbedStored:   "„Leyfa alltaf“ vistar valið þitt, „Hlaða einu sinni“ vistar ekkert.",
			KeyDeclLifetimes: "Gildistíminn er lengsti tími sem vafrakaka er geymd. Vafraköku sem skrifta skrifar í vafrann þinn er eytt í næstu heimsókn þinni þegar þú hefur dregið samþykki þitt til baka eða það er útrunnið."},
		"ca": {KeyBack: "Torna al lloc web", KeyOn: "Activat", KeyOff: "Desactivat", KeyEmbedOnce: "Carrega una vegada", KeyEmbedAlways: "Permet sempre",
			KeyEmbedStored:   "«Permet sempre» desa la vostra elecció; «Carrega una vegada» no desa res.",
			KeyDeclLifetimes: "La durada indicada és el temps màxim que es conserva una galeta. Una galeta que un script escriu al vostre navegador s’elimina en la vostra visita següent un cop hàgiu retirat el consentiment o hagi caducat."},
		"eu": {KeyBack: "Itzuli webgunera", KeyOn: "Aktibatuta", KeyOff: "Desaktibatuta", KeyEmbedOnce: "Kargatu behin", KeyEmbedAlways: "Baimendu beti",
			KeyEmbedStored:   "«Baimendu beti» aukerak zure hautua gordetzen du; «Kargatu behin» aukerak ez du ezer gordetzen.",
			KeyDeclLifetimes: "Iraupena cookie bat gordetzen den denborarik luzeena da. Script batek zure nabigatzailean idatzitako cookie bat zure hurrengo bisitan ezabatzen da, baimena kendu duzunean edo iraungi denean."},
		"gl": {KeyBack: "Volver ao sitio", KeyOn: "Activado", KeyOff: "Desactivado", KeyEmbedOnce: "Cargar unha vez", KeyEmbedAlways: "Permitir sempre",
			KeyEmbedStored:   "«Permitir sempre» garda a túa elección; «Cargar unha vez» non garda nada.",
			KeyDeclLifetimes: "A duración indicada é o tempo máximo que se conserva unha cookie. Unha cookie que un script escribe no teu navegador elimínase na túa seguinte visita unha vez que retires o consentimento ou este caduque."},
		"sr": {KeyBack: "Назад на сајт", KeyOn: "Укључено", KeyOff: "Искључено", KeyEmbedOnce: "Учитај једном", KeyEmbedAlways: "Увек дозволи",
			KeyEmbedStored:   "„Увек дозволи” чува ваш избор, „Учитај једном” не чува ништа.",
			KeyDeclLifetimes: "Наведено трајање је најдуже време чувања колачића. Колачић који скрипта упише у ваш прегледач брише се при следећој посети када повучете сагласност или она истекне."},
		"bs": {KeyBack: "Nazad na stranicu", KeyOn: "Uključeno", KeyOff: "Isključeno", KeyEmbedOnce: "Učitaj jednom", KeyEmbedAlways: "Uvijek dozvoli",
			KeyEmbedStored:   "„Uvijek dozvoli“ čuva vaš izbor, „Učitaj jednom“ ne čuva ništa.",
			KeyDeclLifetimes: "Navedeno trajanje je najduže vrijeme čuvanja kolačića. Kolačić koji skripta upiše u vaš preglednik briše se pri sljedećoj posjeti kada povučete saglasnost ili ona istekne."},
		"sq": {KeyBack: "Kthehu te sajti", KeyOn: "Aktiv", KeyOff: "Joaktiv", KeyEmbedOnce: "Ngarko një herë", KeyEmbedAlways: "Lejo gjithmonë",
			KeyEmbedStored:   "«Lejo gjithmonë» ruan zgjedhjen tuaj; «Ngarko një herë» nuk ruan asgjë.",
			KeyDeclLifetimes: "Kohëzgjatja e treguar është koha më e gjatë që ruhet një cookie. Një cookie që një skript e shkruan në shfletuesin tuaj fshihet në vizitën tuaj të ardhshme, pasi të keni tërhequr pëlqimin ose kur ai të ketë skaduar."},
		"mk": {KeyBack: "Назад на страницата", KeyOn: "Вклучено", KeyOff: "Исклучено", KeyEmbedOnce: "Вчитај еднаш", KeyEmbedAlways: "Секогаш дозволи",
			KeyEmbedStored:   "„Секогаш дозволи“ го зачувува вашиот избор, „Вчитај еднаш“ не зачувува ништо.",
			KeyDeclLifetimes: "Наведеното траење е најдолгото време за кое се чува колачето. Колаче што скрипта го запишува во вашиот прелистувач се брише при вашата следна посета откако ќе ја повлечете согласноста или таа ќе истече."},
		"uk": {KeyBack: "Повернутися на сайт", KeyOn: "Увімкнено", KeyOff: "Вимкнено", KeyEmbedOnce: "Завантажити один раз", KeyEmbedAlways: "Дозволяти завжди",
			KeyEmbedStored:   "«Дозволяти завжди» зберігає ваш вибір, «Завантажити один раз» нічого не зберігає.",
			KeyDeclLifetimes: "Зазначений строк — найдовший час зберігання файлу cookie. Файл cookie, який скрипт записує у вашому браузері, видаляється під час наступного відвідування, щойно ви відкличете згоду або строк її дії мине."},
		"tr": {KeyBack: "Siteye dön", KeyOn: "Açık", KeyOff: "Kapalı", KeyEmbedOnce: "Bir kez yükle", KeyEmbedAlways: "Her zaman izin ver",
			KeyEmbedStored:   "“Her zaman izin ver” seçiminizi kaydeder; “Bir kez yükle” hiçbir şey kaydetmez.",
			KeyDeclLifetimes: "Belirtilen süre, bir çerezin saklandığı en uzun süredir. Bir betiğin tarayıcınıza yazdığı çerez, onayınızı geri çektiğinizde veya onayınızın süresi dolduğunda bir sonraki ziyaretinizde silinir."},
		"ar": {KeyBack: "العودة إلى الموقع", KeyOn: "مفعّل", KeyOff: "معطّل", KeyEmbedOnce: "تحميل مرة واحدة", KeyEmbedAlways: "السماح دائمًا",
			KeyEmbedStored:   "«السماح دائمًا» يحفظ اختيارك، و«تحميل مرة واحدة» لا يحفظ شيئًا.",
			KeyDeclLifetimes: "المدة المذكورة هي أطول مدة يُحتفظ فيها بملف تعريف الارتباط. ملف تعريف الارتباط الذي يكتبه برنامج نصي في متصفحك يُحذف في زيارتك التالية بعد سحب موافقتك أو انتهاء صلاحيتها."},
		"he": {KeyBack: "חזרה לאתר", KeyOn: "פעיל", KeyOff: "כבוי", KeyEmbedOnce: "טעינה חד־פעמית", KeyEmbedAlways: "לאפשר תמיד",
			KeyEmbedStored:   "„לאפשר תמיד” שומר את הבחירה שלך; „טעינה חד־פעמית” לא שומרת דבר.",
			KeyDeclLifetimes: "משך החיים המצוין הוא הזמן הארוך ביותר שבו נשמרת עוגייה. עוגייה שסקריפט כותב בדפדפן שלך נמחקת בביקור הבא שלך לאחר שביטלת את הסכמתך או שתוקפה פג."},
		"zh-hans": {KeyBack: "返回网站", KeyOn: "开", KeyOff: "关", KeyEmbedOnce: "仅加载一次", KeyEmbedAlways: "始终允许",
			KeyEmbedStored:   "“始终允许”会保存您的选择；“仅加载一次”不会保存任何内容。",
			KeyDeclLifetimes: "所列期限是 Cookie 保存的最长时间。脚本在您的浏览器中写入的 Cookie，会在您撤回同意或同意过期后的下一次访问时被删除。"},
		"zh-hant": {KeyBack: "返回網站", KeyOn: "開", KeyOff: "關", KeyEmbedOnce: "僅載入一次", KeyEmbedAlways: "一律允許",
			KeyEmbedStored:   "「一律允許」會儲存您的選擇；「僅載入一次」不會儲存任何內容。",
			KeyDeclLifetimes: "所列期限是 Cookie 保存的最長時間。指令碼在您的瀏覽器中寫入的 Cookie，會在您撤回同意或同意到期後的下一次造訪時刪除。"},
		"ja": {KeyBack: "サイトに戻る", KeyOn: "オン", KeyOff: "オフ", KeyEmbedOnce: "今回だけ読み込む", KeyEmbedAlways: "常に許可",
			KeyEmbedStored:   "「常に許可」は選択を保存します。「今回だけ読み込む」は何も保存しません。",
			KeyDeclLifetimes: "記載の期間は Cookie が保存される最長の期間です。スクリプトがブラウザーに書き込んだ Cookie は、同意を撤回した後、または同意の期限が切れた後の次回のアクセス時に削除されます。"},
		"ko": {KeyBack: "사이트로 돌아가기", KeyOn: "켜짐", KeyOff: "꺼짐", KeyEmbedOnce: "이번만 불러오기", KeyEmbedAlways: "항상 허용",
			KeyEmbedStored:   "‘항상 허용’은 선택을 저장하고, ‘이번만 불러오기’는 아무것도 저장하지 않습니다.",
			KeyDeclLifetimes: "표시된 기간은 쿠키가 보관되는 최장 기간입니다. 스크립트가 브라우저에 기록한 쿠키는 동의를 철회하거나 동의가 만료된 뒤 다음 방문 시 삭제됩니다."},
		"hi": {KeyBack: "साइट पर वापस जाएँ", KeyOn: "चालू", KeyOff: "बंद", KeyEmbedOnce: "एक बार लोड करें", KeyEmbedAlways: "हमेशा अनुमति दें",
			KeyEmbedStored:   "“हमेशा अनुमति दें” आपकी पसंद सहेजता है; “एक बार लोड करें” कुछ भी नहीं सहेजता।",
			KeyDeclLifetimes: "बताई गई अवधि वह अधिकतम समय है जिसके लिए कुकी रखी जाती है। कोई स्क्रिप्ट आपके ब्राउज़र में जो कुकी लिखती है, वह आपकी सहमति वापस लेने या उसकी अवधि समाप्त होने के बाद आपकी अगली विज़िट पर हटा दी जाती है।"},
		"pt-br": {KeyBack: "Voltar ao site", KeyOn: "Ativado", KeyOff: "Desativado", KeyEmbedOnce: "Carregar uma vez", KeyEmbedAlways: "Sempre permitir",
			KeyEmbedStored:   "“Sempre permitir” salva sua escolha; “Carregar uma vez” não salva nada.",
			KeyDeclLifetimes: "A duração indicada é o tempo máximo em que um cookie é mantido. Um cookie gravado por um script no seu navegador é excluído na sua próxima visita depois que você retira o consentimento ou ele expira."},
		"es-419": {KeyBack: "Volver al sitio", KeyOn: "Activado", KeyOff: "Desactivado", KeyEmbedOnce: "Cargar una vez", KeyEmbedAlways: "Permitir siempre",
			KeyEmbedStored:   "“Permitir siempre” guarda tu elección; “Cargar una vez” no guarda nada.",
			KeyDeclLifetimes: "La duración indicada es el tiempo máximo que se conserva una cookie. Una cookie que un script escribe en tu navegador se elimina en tu siguiente visita después de que retires tu consentimiento o este venza."},
		"id": {KeyBack: "Kembali ke situs", KeyOn: "Aktif", KeyOff: "Nonaktif", KeyEmbedOnce: "Muat sekali", KeyEmbedAlways: "Selalu izinkan",
			KeyEmbedStored:   "“Selalu izinkan” menyimpan pilihan Anda; “Muat sekali” tidak menyimpan apa pun.",
			KeyDeclLifetimes: "Masa berlaku yang tercantum adalah waktu terlama sebuah cookie disimpan. Cookie yang ditulis oleh skrip di browser Anda akan dihapus pada kunjungan berikutnya setelah Anda menarik persetujuan atau persetujuan itu kedaluwarsa."},
		"vi": {KeyBack: "Quay lại trang web", KeyOn: "Bật", KeyOff: "Tắt", KeyEmbedOnce: "Tải một lần", KeyEmbedAlways: "Luôn cho phép",
			KeyEmbedStored:   "“Luôn cho phép” lưu lựa chọn của bạn; “Tải một lần” không lưu gì cả.",
			KeyDeclLifetimes: "Thời hạn ghi ở đây là thời gian dài nhất một cookie được lưu giữ. Cookie do một tập lệnh ghi vào trình duyệt của bạn sẽ bị xóa ở lần truy cập tiếp theo sau khi bạn rút lại sự đồng ý hoặc sự đồng ý hết hạn."},
		"th": {KeyBack: "กลับไปที่เว็บไซต์", KeyOn: "เปิด", KeyOff: "ปิด", KeyEmbedOnce: "โหลดครั้งเดียว", KeyEmbedAlways: "อนุญาตเสมอ",
			KeyEmbedStored:   "“อนุญาตเสมอ” จะบันทึกตัวเลือกของคุณ ส่วน “โหลดครั้งเดียว” จะไม่บันทึกอะไรเลย",
			KeyDeclLifetimes: "อายุที่ระบุคือระยะเวลานานที่สุดที่เก็บคุกกี้ไว้ คุกกี้ที่สคริปต์เขียนไว้ในเบราว์เซอร์ของคุณจะถูกลบในการเข้าชมครั้งถัดไป หลังจากที่คุณถอนความยินยอมหรือความยินยอมหมดอายุ"},
	}
}

// uiAliases are other codes a language table may be filed under.
var uiAliases = map[string]string{
	"no": "nb", "zh": "zh-hans", "zh-cn": "zh-hans", "zh-tw": "zh-hant", "sr-cyrl": "sr", "iw": "he", "in": "id",
}

// uiFor returns the strings of translations_ui.go for a built-in
// language's code, or nil.
func uiFor(lang string) map[string]string {
	lang = strings.ToLower(strings.ReplaceAll(lang, "_", "-"))
	if m := uiStrings()[lang]; m != nil {
		return m
	}
	more := uiStringsMore()
	if m := more[lang]; m != nil {
		return m
	}
	return more[uiAliases[lang]]
}
