"""Sentence templates and places behind the demo's free text (Finnish, Swedish, Northern Sámi).

Every report's text is composed from these templates and a few slots (villages, postal
codes, distances, queue lengths, sums in euros, dates), so it reads like what a social
worker writes and changes with the report's theme, but is fully determined by the seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

TextParts = dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Place:
    """A municipality's inflected names, villages or districts and postal codes."""

    locative: str  # "Rovaniemellä": where something happens
    genitive: str  # "Rovaniemen": whose
    villages: tuple[str, ...]
    postal_codes: tuple[str, ...]


PLACES: dict[str, Place] = {
    "047": Place("Enontekiöllä", "Enontekiön", ("Hetta", "Kilpisjärvi", "Leppäjärvi"), ("99400",)),
    "148": Place(
        "Inarissa",
        "Inarin",
        ("Ivalo", "Saariselkä", "Nellim", "Sevettijärvi", "Angeli"),
        ("99800", "99870", "99830"),
    ),
    "240": Place(
        "Kemissä",
        "Kemin",
        ("Karihaara", "Sauvosaari", "Syväkangas", "Takajärvi", "Veitsiluoto"),
        ("94100", "94500", "94600", "94700"),
    ),
    "241": Place("Keminmaalla", "Keminmaan", ("Törmä", "Lautiosaari", "Kallinkangas"), ("94400",)),
    "261": Place("Kittilässä", "Kittilän", ("Levi", "Sirkka", "Alakylä", "Tepasto"), ("99100",)),
    "273": Place("Kolarissa", "Kolarin", ("Äkäslompolo", "Sieppijärvi", "Teurajärvi"), ("95900",)),
    "320": Place(
        "Kemijärvellä", "Kemijärven", ("Isokylä", "Luusua", "Pöyliövaara", "Vuostimo"), ("98100",)
    ),
    "498": Place("Muoniossa", "Muonion", ("Kerässieppi", "Ylimuonio", "Kätkäsuvanto"), ("99300",)),
    "583": Place(
        "Pelkosenniemellä", "Pelkosenniemen", ("Pyhätunturi", "Luiro", "Kairala"), ("98500",)
    ),
    "614": Place("Posiolla", "Posion", ("Sirniö", "Lehtiniemi", "Ahola"), ("97900",)),
    "683": Place("Ranualla", "Ranuan", ("Portimojärvi", "Simojärvi", "Petäjäjärvi"), ("97700",)),
    "698": Place(
        "Rovaniemellä",
        "Rovaniemen",
        ("Sinettä", "Meltaus", "Vikajärvi", "Muurola", "Tapionkylä", "Oikarainen"),
        ("96100", "96200", "96300", "96400", "96900"),
    ),
    "732": Place("Sallassa", "Sallan", ("Hautajärvi", "Naruska", "Kelloselkä"), ("98900",)),
    "742": Place("Savukoskella", "Savukosken", ("Tanhua", "Martti", "Nousu"), ("98800",)),
    "751": Place("Simossa", "Simon", ("Simoniemi", "Maksniemi", "Viantie"), ("95200",)),
    "758": Place(
        "Sodankylässä",
        "Sodankylän",
        ("Vuotso", "Sattanen", "Kelujärvi", "Vaalajärvi", "Tankavaara"),
        ("99600",),
    ),
    "845": Place("Tervolassa", "Tervolan", ("Louepalo", "Loue", "Koivu"), ("95300",)),
    "851": Place(
        "Torniossa",
        "Tornion",
        ("Arpela", "Karunki", "Kaakamo", "Kalkkimaa", "Yliliakka"),
        ("95400", "95420", "95450"),
    ),
    "854": Place("Pellossa", "Pellon", ("Juoksenki", "Sirkkakoski", "Turtola"), ("95700",)),
    "890": Place("Utsjoella", "Utsjoen", ("Karigasniemi", "Nuorgam", "Outakoski"), ("99980",)),
    "976": Place(
        "Ylitorniolla", "Ylitornion", ("Aavasaksa", "Raanujärvi", "Meltosjärvi"), ("95600",)
    ),
}

FINNISH: dict[str, TextParts] = {
    "housing": {
        "phenomenon": (
            "{kunnassa} on ollut kuluneen neljänneksen aikana {n} asiakasta ilman omaa asuntoa; "
            "he ovat asuneet tuttavien luona tai tilapäismajoituksessa.",
            "Vuokra-asuntojen jonot ovat pidentyneet: vuokrataloyhtiön jonossa on noin {jono} "
            "hakijaa, ja pienen asunnon saaminen kestää {viikkoa} viikkoa.",
            "Nuoria aikuisia on jouduttu ohjaamaan kriisimajoitukseen, koska pieniä "
            "vuokra-asuntoja ei ole vapaana.",
            "Alueilla kuten {kylä} ja {kylä2} asunnot ovat huonokuntoisia ja lämmitys on puun "
            "varassa, mikä ei iäkkäältä tai sairaalta asukkaalta enää onnistu.",
            "Useampi asiakas on saanut häätöuhan vuokrarästien takia; rästit ovat olleet "
            "keskimäärin {euroa}.",
        ),
        "causes": (
            "Edullisia pieniä vuokra-asuntoja on liian vähän, ja matkailukaudella asuntoja "
            "vuokrataan lyhytaikaisesti turisteille.",
            "Vuokravakuus on monelle ylivoimainen, eikä maksusitoumusta saa kaikissa tilanteissa.",
            "Asumisneuvontaa on saatavilla vain virka-aikaan kuntakeskuksessa.",
            "Päihde- ja mielenterveysongelmat vaikeuttavat asunnon saamista ja pitämistä.",
        ),
        "consequences": (
            "Asunnottomuus pitkittyy, ja asiakkaat putoavat palveluista, koska heillä ei ole "
            "osoitetta.",
            "Lasten koulunkäynti keskeytyy, kun perhe joutuu muuttamaan kesken lukukauden.",
            "Tilapäismajoitus maksaa arviolta {euroa} kuukaudessa asiakasta kohden.",
        ),
        "proposal": (
            "Kunnan ja vuokrataloyhtiön tulee varata vähintään {n2} pientä asuntoa ensiasunnoiksi "
            "nuorille ja asunnottomuusuhan alla oleville.",
            "Hyvinvointialueen tulee palkata liikkuva asumisneuvoja, joka käy myös kylissä.",
            "Sosiaalityön ja vuokranantajien tulee sopia häätöjen ennaltaehkäisyn mallista, jossa "
            "vuokrarästeistä ilmoitetaan sosiaalityöhön jo kahden kuukauden kohdalla.",
            "Valtion tulee kohdentaa ARA-rahoitusta pienille kunnille esteettömien "
            "vuokra-asuntojen korjaamiseen.",
        ),
    },
    "livelihood": {
        "phenomenon": (
            "Toimeentulotukea hakevien asiakkaiden määrä on kasvanut, ja yhä useampi heistä on "
            "työssäkäyvä pienituloinen.",
            "Asiakkaat kertovat, että rahat loppuvat kuun puolivälissä, vaikka he ovat karsineet "
            "menoistaan kaiken mahdollisen.",
            "Perustoimeentulotuen käsittely on venynyt, ja osa asiakkaista on odottanut päätöstä "
            "yli {pv} päivää.",
            "Sähkön ja polttoaineen hinta kuormittaa erityisesti kylissä asuvia, joiden on pakko "
            "ajaa omalla autolla asioille {km} kilometrin päähän.",
            "Ehkäisevää toimeentulotukea on haettu etenkin lääkekuluihin ja sähkölaskuihin, "
            "keskimäärin {euroa} hakemusta kohden.",
        ),
        "causes": (
            "Kausityön loppuminen matkailukauden jälkeen jättää monen ilman tuloja useaksi "
            "kuukaudeksi.",
            "Etuuksien yhteensovitus on monimutkaista, ja pienikin muutos tuloissa katkaisee tuen.",
            "Asiointi on siirtynyt verkkoon, eikä kaikilla ole pankkitunnuksia tai taitoja hakea "
            "tukea sähköisesti.",
        ),
        "consequences": (
            "Asiakkaat jättävät lääkkeitä hakematta, ja terveysongelmat pahenevat.",
            "Perheillä ei ole varaa lasten harrastuksiin, mikä lisää eriarvoisuutta.",
            "Maksuhäiriöt lisääntyvät, ja tilanne kierteistyy.",
        ),
        "proposal": (
            "Hyvinvointialueen tulee lisätä ehkäisevän toimeentulotuen määrärahaa ja kertoa "
            "tuesta asiakkaille aktiivisesti.",
            "Kelan ja sosiaalityön tulee sopia suorasta yhteydenpitokanavasta kiireellisiä "
            "tilanteita varten.",
            "Kunnan tulee järjestää etuusneuvontaa kirjastolla kerran viikossa myös kylissä.",
        ),
    },
    "debt": {
        "phenomenon": (
            "Talous- ja velkaneuvontaan on jonoa {viikkoa} viikkoa, ja asiakkaat tulevat "
            "sosiaalityöhön vasta, kun ulosotto on jo alkanut.",
            "Pikavipit ja osamaksut ovat yleistyneet nuorilla aikuisilla, ja velkaa on kertynyt "
            "jopa {euroa_iso}.",
            "Usealla asiakkaalla on ollut sähkö- tai vuokrarästejä, joiden vuoksi sopimus on "
            "irtisanottu.",
            "Ikääntyneet asiakkaat ovat joutuneet verkkohuijausten uhreiksi ja menettäneet "
            "säästönsä, yhdessä tapauksessa {euroa_iso}.",
            "Maksuhäiriömerkintä estää vuokra-asunnon ja puhelinliittymän saamisen, mikä "
            "vaikeuttaa kaikkea asiointia.",
        ),
        "causes": (
            "Hintojen ja korkojen nousu on syönyt pienituloisten taloudellisen puskurin.",
            "Kulutusluottoa saa verkosta muutamassa minuutissa ilman todellista maksukyvyn "
            "arviointia.",
            "Talousosaaminen on heikkoa, eikä budjetointia ole opetettu kotona eikä koulussa.",
        ),
        "consequences": (
            "Velkaantuminen aiheuttaa unettomuutta, häpeää ja masennusta, ja osa asiakkaista "
            "vetäytyy kaikista palveluista.",
            "Ulosotto vie tulot suojaosuuteen asti, eikä työn vastaanottaminen tunnu "
            "kannattavalta.",
            "Perheiden riidat ja erot lisääntyvät talousvaikeuksien myötä.",
        ),
        "proposal": (
            "Oikeusaputoimiston talous- ja velkaneuvonnan tulee tarjota etävastaanottoa "
            "jokaisessa Lapin kunnassa vähintään kerran kuukaudessa.",
            "Hyvinvointialueen tulee sopia velkaneuvonnan kanssa ohjauspolusta, jolla asiakas "
            "pääsee neuvontaan kahdessa viikossa.",
            "Kunnan nuorisotyön ja järjestöjen tulee järjestää nuorille talousosaamisen ryhmiä.",
            "Valtion tulee rajoittaa kulutusluottojen markkinointia ja velvoittaa luotonantajat "
            "tarkistamaan maksukyky positiivisesta luottotietorekisteristä.",
        ),
    },
    "employment": {
        "phenomenon": (
            "Pitkäaikaistyöttömien asiakkaiden määrä on kasvanut, ja kuntouttavaan "
            "työtoimintaan on jonoa {viikkoa} viikkoa.",
            "Asiakkuuteen on tullut aiempaa enemmän nuoria, joilla ei ole toisen asteen tutkintoa.",
            "Työllisyyspalvelujen siirryttyä kunnille osa asiakkaista ei tiedä, kuka heidän "
            "asiaansa hoitaa.",
            "Työkokeilupaikkoja on vähän, ja lähin paikka voi olla {km} kilometrin päässä ilman "
            "julkista liikennettä.",
            "Matkailualan kausityöt eivät riitä työssäoloehdon täyttämiseen.",
        ),
        "causes": (
            "Koulutuspaikat ovat keskittyneet Rovaniemelle, Kemiin ja Tornioon, eikä muutto ole "
            "kaikille mahdollinen.",
            "Työnantajat eivät uskalla palkata osatyökykyisiä ilman tukea.",
            "Palvelujen uudelleenjärjestelyt ovat katkaisseet asiakassuhteet.",
        ),
        "consequences": (
            "Työttömyys pitkittyy, ja toimeentulotuen tarve kasvaa.",
            "Nuoret muuttavat pois, ja kylien väestö ikääntyy entisestään.",
            "Arjen rytmi katoaa, mikä heikentää asiakkaiden mielenterveyttä.",
        ),
        "proposal": (
            "Kunnan työllisyyspalvelujen ja sosiaalityön tulee pitää yhteinen asiakaspalaveri "
            "kuukausittain.",
            "Hyvinvointialueen tulee lisätä kuntouttavan työtoiminnan paikkoja kyliin ja korvata "
            "asiakkaiden matkat.",
            "Oppilaitosten tulee tarjota etäopiskelua niin, että tutkinnon voi suorittaa "
            "kotikunnasta käsin.",
        ),
    },
    "mental_health": {
        "phenomenon": (
            "Aikuisten mielenterveyspalveluihin on jonoa {viikkoa} viikkoa, ja kiireellisiäkin "
            "asiakkaita ohjataan odottamaan.",
            "Psykiatrisen sairaanhoitajan vastaanotto on {kunnassa} vain kahtena päivänä "
            "viikossa, ja ajat ovat täynnä kuukausia eteenpäin.",
            "Nuorten ahdistus ja masennus näkyvät sosiaalityössä yhä useammin, ja osa nuorista "
            "on jäänyt pois koulusta.",
            "Kriisitilanteessa lähin psykiatrinen päivystys on Lapin keskussairaalassa "
            "Rovaniemellä, jopa {km} kilometrin päässä.",
            "Kuntoutuspsykoterapia ei ala, koska alueella ei ole vapaita terapeutteja.",
            "Etävastaanotot auttavat osaa asiakkaista, mutta kaikilla ei ole rauhallista "
            "paikkaa tai toimivaa verkkoyhteyttä.",
        ),
        "causes": (
            "Mielenterveystyön henkilöstöä on liian vähän, ja rekrytoinnit pohjoiseen "
            "epäonnistuvat toistuvasti.",
            "Perustason mielenterveyspalvelut eivät riitä, ja asiakkaat ohjautuvat suoraan "
            "erikoissairaanhoitoon.",
            "Pitkät välimatkat ja yksinäisyys pahentavat oireita, eikä vertaistukea ole tarjolla.",
        ),
        "consequences": (
            "Asiakkaiden tilanne ehtii kriisiytyä jonotuksen aikana, ja päivystyskäynnit "
            "lisääntyvät.",
            "Työkyvyttömyys pitkittyy, ja osa asiakkaista siirtyy toimeentulotuen varaan.",
            "Lastensuojelun tarve kasvaa, kun vanhemman voimavarat eivät riitä.",
        ),
        "proposal": (
            "Hyvinvointialueen tulee palkata kaksi liikkuvaa psykiatrista sairaanhoitajaa "
            "Pohjois-Lappiin ja taata mielenterveyspalveluihin hoitoon pääsy kuukaudessa.",
            "Ehdotamme matalan kynnyksen mielenterveyspistettä, jonne voi tulla ilman "
            "ajanvarausta, sekä etäyhteyttä terveysasemalta psykiatriin.",
            "Kelan tulee hyväksyä etäpsykoterapia kaikille Lapin asiakkaille ja korvata matkat.",
        ),
    },
    "substance_use": {
        "phenomenon": (
            "Alkoholin ja huumeiden käyttö näkyy yhä nuoremmilla asiakkailla, ja kokeilut "
            "alkavat jo yläkouluiässä.",
            "Päihdekuntoutukseen joutuu odottamaan {viikkoa} viikkoa, ja katkaisuhoito järjestyy "
            "vain Rovaniemellä.",
            "Korvaushoidossa olevat asiakkaat joutuvat ajamaan lääkkeen hakuun {km} kilometriä "
            "suuntaansa.",
            "Matkailusesonkina päihteiden käyttö ja siihen liittyvät häiriöt ovat lisääntyneet.",
            "Rahapelaaminen on tullut esiin usean asiakkaan velkaantumisen taustalla.",
        ),
        "causes": (
            "Huumeita saa verkon kautta helposti myös pieniltä paikkakunnilta.",
            "Päihdepalveluja on karsittu, eikä avopalveluja ole kaikissa kunnissa.",
            "Yksinäisyys ja työttömyys lisäävät päihteiden käyttöä.",
        ),
        "consequences": (
            "Lapset elävät perheissä, joissa vanhemman päihteiden käyttö vaarantaa turvallisuuden.",
            "Asiakkaat menettävät asuntonsa häiriöiden vuoksi.",
            "Päivystyskäynnit ja poliisin tehtävät lisääntyvät viikonloppuisin.",
        ),
        "proposal": (
            "Hyvinvointialueen tulee järjestää katkaisuhoito myös Kemi-Tornion ja Pohjois-Lapin "
            "alueelle.",
            "Kuntien ja järjestöjen tulee perustaa matalan kynnyksen päihdetyön pisteitä, joissa "
            "on terveysneuvontaa ja ruoka-apua.",
            "Korvaushoidon lääkkeet tulee jakaa lähimmän terveysaseman kautta.",
        ),
    },
    "health_functioning": {
        "phenomenon": (
            "Kotona asuvien ikääntyneiden toimintakyky on heikentynyt, eivätkä kotihoidon "
            "käynnit riitä.",
            "Terveysaseman lääkärille pääsee vasta {viikkoa} viikon päästä.",
            "Apuvälineiden saaminen kestää kuukausia, ja asiakkaat pärjäävät kotona "
            "lainatavaroilla.",
            "Omaishoitajat ovat uupuneita, koska vapaapäiviä varten ei ole sijaishoitoa kylässä.",
            "Kuntoutus on keskitetty, ja asiakas joutuu matkustamaan {km} kilometriä "
            "fysioterapeutille.",
        ),
        "causes": (
            "Lääkärivajetta paikataan vuokralääkäreillä, jotka vaihtuvat viikoittain.",
            "Kotihoidon reitit ovat pitkiä, ja yksi käynti voi vaatia tunnin ajomatkan.",
            "Kuntoutuspalvelut on keskitetty suuriin keskuksiin.",
        ),
        "consequences": (
            "Kaatumiset ja sairaalajaksot lisääntyvät.",
            "Asiakkaat joutuvat ympärivuorokautiseen hoitoon aiemmin kuin olisi tarpeen.",
            "Omaishoitajat sairastuvat itse.",
        ),
        "proposal": (
            "Hyvinvointialueen tulee lisätä etäkuntoutusta ja liikkuvia fysioterapeutteja kyliin.",
            "Omaishoitajille tulee järjestää sijaishoito kotiin vähintään kolme vuorokautta "
            "kuukaudessa.",
            "Sairaalan ja sosiaalityön tulee tehdä yhteinen arviointikäynti ennen kuin "
            "ikääntynyt kotiutetaan.",
        ),
    },
    "service_access": {
        "phenomenon": (
            "Sosiaalitoimiston palveluaikoja on supistettu, ja kylissä asuvien on vaikea "
            "tavoittaa työntekijää.",
            "Palveluneuvonnan puhelut jäävät jonoon, ja takaisinsoittoa joutuu odottamaan "
            "useita päiviä.",
            "Lähin sosiaalityöntekijän vastaanotto on {km} kilometrin päässä, eikä sinne kulje "
            "linja-autoa.",
            "Aikuissosiaalityön työntekijät vaihtuvat tiheään, ja asiakkaat joutuvat kertomaan "
            "asiansa yhä uudelleen.",
            "Palvelutarpeen arvioinnit viivästyvät, ja lakisääteinen seitsemän arkipäivän "
            "määräaika ylittyy.",
        ),
        "causes": (
            "Palveluverkkoa on keskitetty, ja lähipisteitä on suljettu.",
            "Sosiaalityöntekijöistä on pulaa, ja vakansseja on täyttämättä.",
            "Sähköinen asiointi ei sovi kaikille, eikä avustettua asiointia ole saatavilla.",
        ),
        "consequences": (
            "Asiakkaiden tilanteet kriisiytyvät, kun apua ei saa ajoissa.",
            "Asiakkaat luopuvat hakemasta palveluja, joihin heillä on oikeus.",
            "Työntekijöiden kuormitus kasvaa ja vaihtuvuus lisääntyy.",
        ),
        "proposal": (
            "Hyvinvointialueen tulee palauttaa sosiaalityön lähivastaanotto {kunnassa} "
            "vähintään kahtena päivänä viikossa.",
            "Ehdotamme palveluautoa, joka kiertää kylissä ja jossa voi asioida sekä sosiaali- "
            "että terveyspalveluissa.",
            "Palveluneuvontaan tulee lisätä henkilöstöä ja luvata takaisinsoitto saman päivän "
            "aikana.",
        ),
    },
    "service_system": {
        "phenomenon": (
            "Asiakkaita pompotellaan hyvinvointialueen, Kelan ja kunnan palvelujen välillä, eikä "
            "kukaan ota kokonaisuudesta vastuuta.",
            "Tieto ei kulje sairaalan ja sosiaalityön välillä: asiakkaita kotiutetaan "
            "perjantai-iltana ilman ilmoitusta.",
            "Asiakastietojärjestelmät eivät keskustele keskenään, ja sama tieto kirjataan "
            "kolmeen paikkaan.",
            "Monialaista tukea tarvitsevien nuorten asiat jäävät Ohjaamon, koulun ja "
            "lastensuojelun väliin.",
        ),
        "causes": (
            "Hyvinvointialueen rakenteet ovat keskeneräisiä ja vastuut epäselviä.",
            "Yhteisiä toimintamalleja ei ole sovittu, ja käytännöt vaihtelevat kunnittain.",
            "Henkilöstön vaihtuvuus katkaisee yhteistyösuhteet.",
        ),
        "consequences": (
            "Asiakkaiden asiat viivästyvät, ja päällekkäinen työ lisääntyy.",
            "Luottamus palvelujärjestelmään heikkenee.",
            "Kustannukset kasvavat, kun ongelmat hoidetaan vasta erityistasolla.",
        ),
        "proposal": (
            "Hyvinvointialueen tulee nimetä jokaiselle monialaista tukea tarvitsevalle "
            "asiakkaalle vastuutyöntekijä.",
            "Sairaalan ja sosiaalityön tulee sopia kotiutuskäytännöstä, jossa kotiutuksesta "
            "ilmoitetaan vähintään vuorokautta etukäteen.",
            "Ehdotamme alueellista yhteistyöfoorumia, jossa Kela, kunnat, hyvinvointialue ja "
            "järjestöt sopivat yhteisistä käytännöistä kahdesti vuodessa.",
        ),
    },
    "digital_exclusion": {
        "phenomenon": (
            "Ikääntyneet asiakkaat eivät pysty hoitamaan asioitaan verkossa, kun pankki- ja "
            "Kela-asiointi on siirtynyt sähköiseksi.",
            "Alueilla kuten {kylä} ja {kylä2} verkkoyhteys on niin heikko, ettei "
            "videovastaanotto onnistu.",
            "Osalla asiakkaista ei ole pankkitunnuksia, jolloin he eivät voi tunnistautua "
            "sähköisiin palveluihin.",
            "Asiakkaita on pyydetty lähettämään liitteet sähköisesti, mutta heillä ei ole "
            "tietokonetta eikä tulostinta.",
        ),
        "causes": (
            "Palvelujen digitalisointi on edennyt nopeammin kuin asiakkaiden taidot ja laitteet.",
            "Pankkikonttoreita ja asiointipisteitä on suljettu.",
            "Digitukea ei ole saatavilla kylissä.",
        ),
        "consequences": (
            "Asiakkaat jäävät ilman etuuksia, joihin heillä olisi oikeus.",
            "Läheiset hoitavat asioita asiakkaan tunnuksilla, mikä altistaa väärinkäytöksille.",
            "Yksinäisyys lisääntyy, kun asiointi ei enää tuo kohtaamisia.",
        ),
        "proposal": (
            "Kunnan ja kirjaston tulee järjestää digitukea kylissä vähintään kerran kuukaudessa.",
            "Hyvinvointialueen tulee säilyttää mahdollisuus asioida puhelimitse ja paperilla.",
            "Valtion tulee edistää valokuituverkon rakentamista haja-asutusalueille.",
        ),
    },
    "mobility": {
        "phenomenon": (
            "Asiakkaan matka lähimpään terveyskeskukseen on {km} kilometriä, eikä julkista "
            "liikennettä kulje.",
            "Kela-kyyti on tilattava päivää etukäteen, ja paluukyytiä joutuu odottamaan tunteja.",
            "Asiointiliikenne kulkee {kunnassa} vain kerran viikossa, eikä sillä ehdi hoitaa "
            "asioita.",
            "Talvella tiet ovat huonossa kunnossa, ja keväällä kelirikko katkaisee yhteydet "
            "kyliin kuten {kylä}.",
            "Kuljetuspalvelun matkat on rajattu kahdeksaan yhdensuuntaiseen matkaan "
            "kuukaudessa, mikä ei riitä asiointiin ja harrastuksiin.",
        ),
        "causes": (
            "Linja-autovuoroja on lakkautettu kannattamattomina.",
            "Palvelut on keskitetty kuntakeskuksiin ja Rovaniemelle.",
            "Polttoaineen hinta tekee oman auton käytöstä pienituloisille liian kallista.",
        ),
        "consequences": (
            "Asiakkaat jättävät lääkärin ja sosiaalityön käyntejä väliin.",
            "Ikääntyneet eristäytyvät koteihinsa.",
            "Matkakulut ovat jopa {euroa} kuukaudessa, mikä on pienituloiselle kohtuuton summa.",
        ),
        "proposal": (
            "Hyvinvointialueen ja kunnan tulee yhdistää asiointiliikenne, koulukuljetukset ja "
            "Kela-kyydit yhdeksi kutsuliikenteeksi.",
            "Ehdotamme, että sosiaalityöntekijä jalkautuu kyliin kahdesti kuukaudessa, jotta "
            "asiakkaiden ei tarvitse matkustaa.",
            "Liikenne- ja viestintäministeriön tulee turvata harvaan asuttujen alueiden "
            "joukkoliikenteen rahoitus.",
        ),
    },
    "loneliness": {
        "phenomenon": (
            "Yksin asuvien ikääntyneiden yksinäisyys on lisääntynyt, ja moni kertoo, ettei "
            "puhu kenenkään kanssa viikkoihin.",
            "Nuoret aikuiset viettävät aikansa pelkästään verkossa eivätkä osallistu mihinkään "
            "toimintaan.",
            "Kylien kohtaamispaikkoja, kuten kyläkauppoja ja kouluja, on suljettu.",
            "Maahanmuuttajataustaiset asiakkaat ovat jääneet ilman kontakteja muihin kuntalaisiin.",
        ),
        "causes": (
            "Nuoret ovat muuttaneet pois, ja kyliin jäävät yksin asuvat ikääntyneet.",
            "Harrastustoimintaa ei ole kylissä, ja matkat keskukseen ovat pitkiä.",
            "Pitkä kaamosaika lisää vetäytymistä.",
        ),
        "consequences": (
            "Yksinäisyys lisää masennusta, päihteiden käyttöä ja palvelujen tarvetta.",
            "Hätätilanteet huomataan liian myöhään.",
            "Toimintakyky heikkenee, kun arjessa ei ole syytä lähteä liikkeelle.",
        ),
        "proposal": (
            "Kunnan ja seurakunnan tulee järjestää kyliin kohtaamispaikkoja ja ystävätoimintaa.",
            "Hyvinvointialueen tulee avustaa järjestöjä kyläkummitoiminnassa.",
            "Kunnan nuorisotyön tulee jalkautua verkkoon ja tavoittaa kotiin jääneet nuoret.",
        ),
    },
    "food_aid": {
        "phenomenon": (
            "Ruoka-avun jonot ovat kasvaneet: jakopisteessä käy viikoittain noin {n_iso} "
            "ihmistä, kun vuosi sitten kävijöitä oli puolet vähemmän.",
            "Ruoka-apua hakevat nyt myös työssäkäyvät lapsiperheet ja opiskelijat.",
            "Kylissä ruoka-apua ei ole saatavilla, ja lähimpään jakopisteeseen on {km} kilometriä.",
            "Seurakunnan ruokakassit loppuvat usein ensimmäisen tunnin aikana.",
            "Asiakkaat ovat pyytäneet maksusitoumusta ruokaan, koska rahat eivät riitä kuun "
            "loppuun.",
        ),
        "causes": (
            "Ruoan hinta on noussut nopeammin kuin etuudet.",
            "Toimeentulotuen käsittelyajat ovat pitkiä, ja ruoka-apu paikkaa odotusaikaa.",
            "Kaupoista saadaan jaettavaksi aiempaa vähemmän hävikkiruokaa.",
        ),
        "consequences": (
            "Lapset jäävät ilman riittävää ravintoa etenkin koulujen loma-aikoina.",
            "Häpeä estää osaa hakemasta ruoka-apua.",
            "Ruoka-apua jakavat vapaaehtoiset uupuvat.",
        ),
        "proposal": (
            "Hyvinvointialueen, kunnan ja seurakunnan tulee sopia yhteisestä ruoka-avun "
            "koordinaatiosta ja kuljetuksista kyliin.",
            "Kunnan tulee tarjota koululaisille maksuton ateria myös loma-aikoina.",
            "Ruoka-avun yhteyteen tulee tuoda sosiaaliohjausta, jotta hakijat saavat neuvontaa "
            "etuuksista.",
        ),
    },
    "families": {
        "phenomenon": (
            "Lapsiperheiden vanhemmat ovat uupuneita, eikä kotipalvelua saa ilman "
            "lastensuojelun asiakkuutta.",
            "Perhetyöhön on jonoa {viikkoa} viikkoa.",
            "Eroperheiden lapset jäävät riitojen keskelle, ja perheasioiden sovitteluun pääsee "
            "vasta kuukausien päästä.",
            "Yksinhuoltajien taloudellinen tilanne on heikentynyt, ja lasten harrastuksista on "
            "luovuttu.",
        ),
        "causes": (
            "Perheiden tukiverkostot ovat kaukana, kun isovanhemmat asuvat etelässä.",
            "Ennaltaehkäisevää perhetyötä on vähennetty.",
            "Vuorotyö ja pitkät työmatkat kuormittavat perheitä.",
        ),
        "consequences": (
            "Lastensuojeluilmoitukset lisääntyvät, ja tilanteet kriisiytyvät.",
            "Lasten koulunkäynti ja hyvinvointi kärsivät.",
        ),
        "proposal": (
            "Hyvinvointialueen tulee tarjota lapsiperheiden kotipalvelua matalalla kynnyksellä "
            "ilman lastensuojelun asiakkuutta.",
            "Ehdotamme perhekeskukseen iltavastaanottoa työssäkäyville vanhemmille.",
            "Kunnan tulee tukea lasten harrastuksia harrastusseteleillä.",
        ),
    },
    "violence_safety": {
        "phenomenon": (
            "Lähisuhdeväkivallan uhrit joutuvat odottamaan turvakotipaikkaa, koska lähin "
            "turvakoti on {km} kilometrin päässä.",
            "Ikääntyneisiin kohdistuva taloudellinen hyväksikäyttö on tullut esiin useassa "
            "asiakkuudessa.",
            "Nuorten väliset väkivaltatilanteet ja uhkailu sosiaalisessa mediassa ovat "
            "lisääntyneet.",
            "Asiakkaat kertovat pelkäävänsä, mutta lähestymiskieltoa ei ole haettu.",
        ),
        "causes": (
            "Pienissä kunnissa ei ole väkivaltatyön erityisosaamista.",
            "Pitkät etäisyydet ja tiivis kyläyhteisö tekevät avun hakemisesta vaikeaa.",
        ),
        "consequences": (
            "Väkivalta jatkuu, ja lapset altistuvat sille.",
            "Uhrit eristäytyvät.",
        ),
        "proposal": (
            "Hyvinvointialueen tulee perustaa turvakotipaikkoja myös Kemi-Tornion ja "
            "Pohjois-Lapin alueelle.",
            "Poliisin, sosiaalipäivystyksen ja järjestöjen tulee ottaa MARAK-työskentely "
            "käyttöön jokaisessa kunnassa.",
            "Työntekijöille tulee järjestää koulutusta väkivallan puheeksi ottamisesta.",
        ),
    },
    "sami_services": {
        "phenomenon": (
            "Saamenkielisiä sosiaali- ja terveyspalveluja ei ole saatavilla, ja asiakkaat "
            "joutuvat asioimaan suomeksi.",
            "Saamenkieliset ikääntyneet eivät saa kotihoitoa omalla kielellään, mikä vaikeuttaa "
            "esimerkiksi muistisairauden arviointia.",
            "Saamen kielen tulkkia ei saa lyhyellä varoitusajalla, ja omaiset joutuvat "
            "tulkkaamaan.",
            "Poronhoidon kausittaiset kiireet eivät näy palvelujen suunnittelussa.",
            "Saamenkielistä perhetyötä on tarjolla vain kuntakeskuksessa, {km} kilometrin päässä.",
        ),
        "causes": (
            "Saamenkielisiä työntekijöitä on vähän, eikä kielitaitoa huomioida rekrytoinnissa.",
            "Palveluja suunnitellaan ilman saamelaisten osallisuutta.",
            "Saamenkieliset palvelut on rahoitettu määräaikaisilla hankkeilla.",
        ),
        "consequences": (
            "Asiakkaat eivät tule ymmärretyiksi, ja palvelutarpeen arviointi jää puutteelliseksi.",
            "Saamelaisten luottamus palveluihin heikkenee, ja apua haetaan liian myöhään.",
        ),
        "proposal": (
            "Hyvinvointialueen tulee palkata saamenkielisiä sosiaaliohjaajia ja maksaa kielilisää.",
            "Saamelaiskäräjien ja hyvinvointialueen tulee sopia saamenkielisten palvelujen "
            "vähimmäistasosta.",
            "Ehdotamme saamen kielen etätulkkausta kaikkiin sosiaalityön tapaamisiin.",
        ),
    },
    "other": {
        "phenomenon": (
            "Asiakastyössä on tullut esiin ilmiö, joka ei sovi mihinkään valmiiseen luokkaan.",
            "Leudot talvet ja ilmastonmuutos heikentävät poronhoidon ja kalastuksen tuloja.",
            "Kaivos- ja tuulivoimahankkeiden ympärillä väestö vaihtuu nopeasti, ja palvelujen "
            "tarve kasvaa yllättäen.",
        ),
        "causes": (
            "Muutokset elinkeinoissa ovat nopeita, eikä palvelujen suunnittelu pysy mukana.",
            "Tietoa ilmiön laajuudesta ei kerätä.",
        ),
        "consequences": (
            "Asiakkaiden toimeentulo ja jaksaminen heikkenevät.",
            "Kunnan palvelut ruuhkautuvat ennakoimatta.",
        ),
        "proposal": (
            "Hyvinvointialueen tulee seurata ilmiötä ja koota tietoa kunnista puolen vuoden "
            "välein.",
            "Kunnan ja elinkeinoelämän tulee arvioida hankkeiden sosiaaliset vaikutukset "
            "ennen päätöksiä.",
        ),
    },
}

OPENERS: dict[str, tuple[str, ...]] = {
    "problem": (
        "Sosiaalityössä on kuluneen neljänneksen aikana toistuvasti tullut esiin sama ilmiö.",
        "Haluamme tuoda hyvinvointialueen tietoon ilmiön, joka näkyy useissa asiakastapaamisissa.",
        "Havainto perustuu {n} asiakkaan tilanteeseen {kunnassa}.",
        "Aikuissosiaalityön tiimi on koonnut tähän havaintonsa viime kuukausilta.",
    ),
    "good_practice": (
        "Hyvä käytäntö: {kunnassa} on kokeiltu toimintatapaa, josta on saatu hyviä kokemuksia.",
        "Haluamme jakaa hyvän käytännön, joka on toiminut {kunnassa} jo useamman kuukauden ajan.",
    ),
    "weak_signal": (
        "Heikko signaali: asia ei vielä näy tilastoissa, mutta olemme huomanneet sen muutamassa "
        "asiakkuudessa.",
        "Nostamme esiin heikon signaalin, joka voi kasvaa ilmiöksi tulevina kuukausina.",
    ),
}
GOOD_PRACTICE: tuple[str, ...] = (
    "Kokeilussa sosiaaliohjaaja kävi kylissä kahden viikon välein, ja asiakkaat tavoitettiin "
    "aiempaa paremmin.",
    "Yhteisenä vastaanottopäivänä sosiaaliohjaaja, terveydenhoitaja ja järjestön työntekijä "
    "olivat paikalla samaan aikaan, eikä asiakkaan tarvinnut kertoa asiaansa moneen kertaan.",
    "Kirjastolla pidetty neuvontapäivä keräsi {n} kävijää, joista moni ei ollut aiemmin ollut "
    "yhteydessä sosiaalityöhön.",
    "Etätapaamiset säästivät asiakkailta keskimäärin {km} kilometrin matkan suuntaansa.",
)
DETAILS: tuple[str, ...] = (
    "Asia tuli viimeksi esiin {pvm} pidetyssä asiakaspalaverissa.",
    "Erityisesti postinumeroalueella {postinumero} asuvien asiakkaiden tilanne on vaikea.",
    "Arviomme mukaan tilanne koskee {kunnassa} ainakin {n} asiakasta.",
    "Ilmiö on näkynyt {kunnan} sosiaalityössä ainakin {pvm} lähtien.",
)

SWEDISH: dict[str, TextParts] = {
    "mobility": {
        "phenomenon": (
            "Avståndet till närmaste hälsocentral är {km} km, och bussen går bara två gånger i "
            "veckan.",
            "Flera äldre klienter bor ensamma och har ingen som kan köra dem till läkaren.",
        ),
    },
    "service_access": {
        "phenomenon": (
            "Klienter som pendlar över gränsen till Haparanda faller mellan systemen, och ingen "
            "vet vilket land som ansvarar för deras ärenden.",
            "Socialbyråns öppettider har minskats, och det är svårt att nå en socialarbetare.",
        ),
    },
    "mental_health": {
        "phenomenon": (
            "Kön till mentalvårdstjänster är {viikkoa} veckor, och även brådskande klienter får "
            "vänta.",
            "Unga vuxna berättar om ångest och sömnlöshet, men det finns ingen samtalshjälp på "
            "svenska.",
        ),
    },
    "food_aid": {
        "phenomenon": (
            "Allt fler barnfamiljer söker matbistånd, och matkassarna tar slut inom en timme.",
            "Utdelningen besöks nu av ungefär {n_iso} personer i veckan.",
        ),
    },
    "debt": {
        "phenomenon": (
            "Klienter med skulder kommer till socialarbetet först när utmätningen redan har "
            "börjat.",
            "Snabblån och avbetalningar har blivit vanliga bland unga vuxna, och skulderna uppgår "
            "till {euroa_iso}.",
        ),
    },
    "loneliness": {
        "phenomenon": (
            "Äldre som bor ensamma berättar att de inte talar med någon på flera veckor.",
            "Byarnas mötesplatser, som butiker och skolor, har stängts.",
        ),
    },
}
SWEDISH_COMMON: TextParts = {
    "opener": (
        "Vi har under kvartalet sett ett fenomen som återkommer i många klientmöten.",
        "Socialarbetet i {kunnan_sv} vill lyfta fram följande iakttagelse.",
    ),
    "phenomenon": (
        "Situationen gäller enligt vår bedömning minst {n} klienter.",
        "Frågan togs senast upp på ett klientmöte den {pvm}.",
    ),
    "causes": (
        "Tjänsterna har centraliserats och kollektivtrafiken har dragits in.",
        "Det finns för få socialarbetare, och lediga tjänster förblir obesatta.",
        "Information om tjänsterna finns ofta bara på finska.",
    ),
    "consequences": (
        "Klienterna uteblir från besök och deras situation förvärras.",
        "Ensamheten ökar och klienterna söker hjälp först i en kris.",
    ),
    "proposal": (
        "Välfärdsområdet bör ordna mobila tjänster och samordna transporterna med kommunen.",
        "Kommunen och välfärdsområdet bör erbjuda rådgivning på svenska minst en dag i veckan.",
        "Vi föreslår ett gemensamt servicekontor med Haparanda för klienter som bor och arbetar "
        "på båda sidor om gränsen.",
    ),
}

SAMI: dict[str, TextParts] = {
    "sami_services": {
        "phenomenon": (
            "Sámegielat boarrásat eai oaččo ruovttubálvalusaid iežaset gillii.",
            "Dulka ii leat olámuttus, ja fuolkkit fertejit dulkot.",
        ),
    },
    "loneliness": {
        "phenomenon": (
            "Boarrásat orrot okto gilliin guhkkin guovddážis.",
            "Sis ii leat oktage geainna humadit vahkuid áigge.",
        ),
    },
    "mobility": {
        "phenomenon": (
            "Guhkes gaskkat dagahit ahte olbmot eai beasa dearvvašvuođaguovddážii.",
            "Busse vuodjá dušše guktii vahkus, ja mátki lea {km} kilomehtera.",
        ),
    },
    "health_functioning": {
        "phenomenon": (
            "Ruovttubálvalus ii leat doarvái, ja boarrásat eai birge šat ruovttus.",
            "Doavttir lea olámuttus dušše {viikkoa} vahku geažes.",
        ),
    },
}
SAMI_COMMON: TextParts = {
    "opener": (
        "Sámi áššehasat leat muitalan midjiide čuovvovaččat.",
        "Sosiálabargit leat fuobmán dán ášši máŋgga áššehasa dilis.",
    ),
    "phenomenon": (
        "Sámegielat sosiálabargi lea dušše guokte beaivvi vahkus.",
        "Sámegielat bálvalusat leat dušše guovddážis.",
    ),
    "causes": (
        "Sámegielat bargit leat unnán.",
        "Bálvalusat plánejuvvojit almmá sámiid searvama haga.",
    ),
    "consequences": (
        "Áššehasat eai ádde bálvalusaid, ja veahkki ohcojuvvo menddo maŋŋit.",
        "Luohttámuš bálvalusaide heajuda.",
    ),
    "proposal": (
        "Buresveadjinguovlu galgá bálkáhit sámegielat sosiálabargiid.",
        "Sámediggi ja buresveadjinguovlu galget šiehttat sámegielat bálvalusaid unnimusdásis.",
    ),
}
SWEDISH_NAMES = {"851": "Torneå", "240": "Kemi"}

PERSONAL_DATA: dict[str, tuple[str, ...]] = {
    "identity_code": (
        "Esimerkiksi asiakas {value} on odottanut päätöstä jo {pv} päivää.",
        "Asiakkaan henkilötunnus on {value}, ja hänen tilanteensa on kirjattu "
        "asiakastietojärjestelmään.",
    ),
    "phone": (
        "Asiakkaan omainen pyysi soittamaan numeroon {value}, jos paikka vapautuu.",
        "Lisätietoja antaa sosiaaliohjaaja, puh. {value}.",
    ),
    "email": (
        "Asiakas toivoo yhteydenottoa sähköpostiin {value}.",
        "Yhteyshenkilön osoite on {value}.",
    ),
}
PERSONAL_DATA_FIELD = {"identity_code": "phenomenon", "phone": "consequences", "email": "proposal"}

PHENOMENON_MIN, PHENOMENON_MAX = 200, 800
PROPOSAL_INTRO = {"fi": "Ehdotamme:", "sv": "Vi föreslår:"}


def report_texts(
    rng: random.Random, theme: str, report_type: str, language: str, slots: dict[str, str]
) -> dict[str, str | None]:
    """Return the four free-text fields of one report, in `language` (fi, sv or se)."""
    if language == "fi":
        parts = FINNISH[theme]
        opener = OPENERS[report_type]
        common = {"phenomenon": DETAILS}
        if report_type == "good_practice":
            common = {"phenomenon": GOOD_PRACTICE}
    else:
        own = (SWEDISH if language == "sv" else SAMI)[theme]
        common = SWEDISH_COMMON if language == "sv" else SAMI_COMMON
        parts = {**common, **own}
        opener = common["opener"]
    phenomenon = _phenomenon(rng, opener, parts["phenomenon"], common["phenomenon"], slots)
    texts: dict[str, str | None] = {"phenomenon": phenomenon}
    for field, chance in (("causes", 0.85), ("consequences", 0.8), ("proposal", 0.9)):
        intro = PROPOSAL_INTRO.get(language) if field == "proposal" else None
        texts[field] = _sentences(rng, parts[field], slots, chance, intro)
    return texts


def _phenomenon(
    rng: random.Random,
    openers: tuple[str, ...],
    own: tuple[str, ...],
    common: tuple[str, ...],
    slots: dict[str, str],
) -> str:
    chosen = rng.sample(own, k=min(len(own), rng.randint(2, 4)))
    extra = [sentence for sentence in common if rng.random() < 0.4]
    pool = [rng.choice(openers), *chosen, *extra]
    sentences = [sentence.format(**slots) for sentence in pool]
    while len(" ".join(sentences)) > PHENOMENON_MAX and len(sentences) > 2:
        sentences.pop(-2)
    spare = [s.format(**slots) for s in (*own, *common) if s.format(**slots) not in sentences]
    while len(" ".join(sentences)) < PHENOMENON_MIN and spare:
        sentences.append(spare.pop(0))
    joiner = "\n\n" if rng.random() < 0.15 else " "
    return sentences[0] + joiner + " ".join(sentences[1:])


def _sentences(
    rng: random.Random,
    pool: tuple[str, ...],
    slots: dict[str, str],
    chance: float,
    intro: str | None,
) -> str | None:
    if rng.random() >= chance:
        return None
    chosen = [s.format(**slots) for s in rng.sample(pool, k=min(len(pool), rng.randint(1, 2)))]
    if intro and len(chosen) > 1 and rng.random() < 0.25:
        return intro + "\n" + "\n".join(f"- {sentence}" for sentence in chosen)
    return " ".join(chosen)


def text_slots(
    rng: random.Random, code: str, submitted_on: date, clients: int | None
) -> dict[str, str]:
    """Return the slot values one report's sentences are filled with."""
    place = PLACES[code]
    village, village2 = rng.sample(place.villages, k=2)
    seen = max(date(2019, 1, 1), submitted_on - timedelta(days=rng.randint(3, 40)))
    return {
        "kunnassa": place.locative,
        "kunnan": place.genitive,
        "kunnan_sv": SWEDISH_NAMES.get(code, place.genitive[:-1]),
        "kylä": village,
        "kylä2": village2,
        "postinumero": rng.choice(place.postal_codes),
        "km": str(rng.choice((35, 48, 60, 75, 90, 120, 140, 165, 190, 230, 280))),
        "viikkoa": str(rng.randint(4, 20)),
        "pv": str(rng.randint(20, 60)),
        "jono": str(rng.randint(8, 60) * 5),
        "n": str(clients if clients and clients >= 2 else rng.randint(3, 12)),
        "n2": str(rng.randint(4, 20)),
        "n_iso": str(rng.randint(16, 60) * 5),
        "euroa": _euros(rng.randint(15, 240) * 10),
        "euroa_iso": _euros(rng.randint(10, 80) * 500),
        "pvm": f"{seen.day}.{seen.month}.{seen.year}",
    }


def _euros(amount: int) -> str:
    return f"{amount:,}".replace(",", " ") + " €"


def with_personal_data(
    texts: dict[str, str | None], kind: str, value: str, rng: random.Random
) -> dict[str, str | None]:
    """Return the texts with one sentence that holds `value` (an identity code, phone or e-mail)."""
    field = PERSONAL_DATA_FIELD[kind]
    sentence = rng.choice(PERSONAL_DATA[kind]).format(value=value, pv=rng.randint(20, 60))
    current = texts[field]
    return {**texts, field: sentence if not current else f"{current} {sentence}"}
