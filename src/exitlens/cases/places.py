"""Places of origin by ISO 3166-1 alpha-2 code: alternative country names (English, French,
German), regions, cities and districts that accounts of leaving extremist groups name as
where people come from. One line per country: ``CODE: place, place, ...``.
"""

from __future__ import annotations

PLACE_TABLE = """
SY: Syria, Syrie, Syrien, Sham, Raqqa, Rakka, Raqqah, Deir ez-Zor, Deir Ezzor, Deir al-Zour,
    Deir el-Zour, Aleppo, Alep, Idlib, Homs, Hama, Damascus, Damas, Damaskus, Daraa, Deraa,
    Latakia, Tartus, Manbij, Tabqa, Kobani, Kobane, Azaz, al-Bab, Jarablus, Mayadin, al-Mayadin,
    Abu Kamal, Albu Kamal, Bukamal, Hasakah, al-Hasakah, Qamishli, Palmyra, Tadmur, Baghuz,
    Hajin, Shaddadi, Suwayda, Ghouta, Douma, Yarmouk, Quneitra, Jisr al-Shughur
IQ: Iraq, Irak, Mosul, Mossoul, Baghdad, Bagdad, Fallujah, Falluja, Ramadi, Anbar, Tikrit,
    Kirkuk, Samarra, Baiji, Hawija, Tal Afar, Tel Afar, Sinjar, Erbil, Irbil, Basra, Najaf,
    Karbala, Diyala, Baqubah, Nineveh, Ninewa, Salahuddin, Salah al-Din, Qaim, al-Qaim, Haditha,
    Sulaymaniyah, Duhok, Qayyarah, Shirqat
TN: Tunisia, Tunisie, Tunesien, Tunis, Sfax, Sousse, Bizerte, Ben Guerdane, Ben Gardane,
    Kasserine, Sidi Bouzid, Kairouan, Gafsa, Monastir, Gabes, Gabès, Medenine, Tataouine,
    Jendouba, Nabeul, Ariana, Ettadhamen, Douar Hicher, Hammamet, Mahdia
MA: Morocco, Maroc, Marokko, Tangier, Tanger, Tanja, Tetouan, Tétouan, Casablanca, Rabat, Fez,
    Fès, Marrakech, Marrakesh, Salé, Agadir, Oujda, Nador, Al Hoceima, Meknes, Meknès, Kenitra,
    Fnideq, Chefchaouen, Rif
LY: Libya, Libye, Libyen, Tripoli, Benghazi, Derna, Misrata, Sirte, Sabratha, Tobruk, Zawiya,
    Sabha
EG: Egypt, Égypte, Egypte, Ägypten, Cairo, Le Caire, Kairo, Alexandria, Alexandrie, Giza, Sinai,
    Arish, al-Arish, Port Said, Suez, Ismailia, Mansoura, Asyut, Minya, Luxor, Aswan, Tanta
JO: Jordan, Jordanie, Jordanien, Amman, Zarqa, Irbid, Ma'an, Maan, Mafraq, Ruseifa, Aqaba, Karak
SA: Saudi Arabia, Arabie saoudite, Saudi-Arabien, Riyadh, Riyad, Jeddah, Djeddah, Mecca, La
    Mecque, Medina, Buraydah, Qassim, Dammam, Qatif, Taif, Abha, Jizan, Najran, Tabuk
LB: Lebanon, Liban, Libanon, Beirut, Beyrouth, Tripoli (Lebanon), Sidon, Saida, Ain al-Hilweh,
    Arsal, Bekaa
TR: Turkey, Türkiye, Turquie, Türkei, Istanbul, Ankara, Izmir, Adana, Gaziantep, Antep,
    Şanlıurfa, Sanliurfa, Urfa, Konya, Kayseri, Adıyaman, Adiyaman, Diyarbakır, Diyarbakir,
    Bursa, Kilis, Hatay, Antakya, Reyhanli, Mersin, Anatolia
YE: Yemen, Yémen, Jemen, Sanaa, Sana'a, Aden, Abyan, Zinjibar, Jaar, Shabwa, Shabwah, Hadramawt,
    Hadramout, Mukalla, Marib, Ma'rib, Al Bayda, Bayda, Taiz, Ibb, Lahij, Hodeidah, Sa'ada
PK: Pakistan, Karachi, Lahore, Islamabad, Rawalpindi, Peshawar, Quetta, Swat, Khyber
    Pakhtunkhwa, Waziristan, North Waziristan, South Waziristan, Bajaur, Mohmand, Khyber,
    Kurram, Orakzai, Bannu, Dera Ismail Khan, Mardan, Balochistan, Sindh, FATA, Malakand
AF: Afghanistan, Kabul, Kandahar, Herat, Jalalabad, Nangarhar, Kunar, Helmand, Kunduz,
    Mazar-i-Sharif, Ghazni, Khost, Paktika, Logar
RU: Russia, Russie, Russland, Russian Federation, Chechnya, Tchétchénie, Tschetschenien,
    Dagestan, Daghestan, Ingushetia, Kabardino-Balkaria, Karachay-Cherkessia, North Caucasus,
    Grozny, Grosny, Makhachkala, Machatschkala, Khasavyurt, Derbent, Buynaksk, Nalchik, Nazran,
    Urus-Martan, Gudermes, Argun, Moscow, Moscou, Moskau, Saint Petersburg, St Petersburg,
    Kazan, Tatarstan, Bashkortostan, Ufa, Astrakhan, Yekaterinburg, Novosibirsk, Tyumen, Surgut
GE: Georgia, Géorgie, Georgien, Tbilisi, Tiflis, Pankisi, Pankisi Gorge, Kakheti, Batumi,
    Kutaisi
AZ: Azerbaijan, Azerbaïdjan, Aserbaidschan, Baku, Sumgait, Ganja
TJ: Tajikistan, Tadjikistan, Tadschikistan, Dushanbe, Douchanbé, Kulob, Kulyab, Khatlon,
    Khujand, Sughd, Bokhtar, Qurghonteppa, Kurgan-Tyube, Isfara, Vahdat, Tursunzoda, Panjakent,
    Khorog, Gorno-Badakhshan
UZ: Uzbekistan, Ouzbékistan, Usbekistan, Tashkent, Tachkent, Taschkent, Namangan, Andijan,
    Fergana, Ferghana, Ferghana Valley, Samarkand, Bukhara, Kokand, Karshi, Qarshi, Nukus,
    Karakalpakstan, Termez, Jizzakh, Margilan
KZ: Kazakhstan, Kasachstan, Almaty, Astana, Nur-Sultan, Shymkent, Karaganda, Aktobe, Atyrau,
    Aktau, Taraz, Zhanaozen, Kyzylorda, Semey, Pavlodar, Uralsk
KG: Kyrgyzstan, Kirghizistan, Kirgisistan, Bishkek, Osh, Jalal-Abad, Batken, Karakol, Tokmok
TM: Turkmenistan, Ashgabat, Turkmenabat, Dashoguz
CN: China, Chine, Xinjiang, Kashgar, Urumqi, Hotan, Beijing
GB: United Kingdom, UK, U.K., Britain, Great Britain, England, Scotland, Wales, Northern
    Ireland, Royaume-Uni, Angleterre, Grossbritannien, Großbritannien, London, Londres, Croydon,
    Tower Hamlets, Whitechapel, Bethnal Green, Newham, East Ham, West Ham, Ilford, Walthamstow,
    Luton, Birmingham, Sparkbrook, Small Heath, Alum Rock, Manchester, Moss Side, Bradford,
    Leeds, Dewsbury, Leicester, Cardiff, Portsmouth, Glasgow, Edinburgh, Sheffield, Liverpool,
    Coventry, Wolverhampton, Bolton, Blackburn, Oldham, Rochdale, Derby, Nottingham, Brighton,
    Bristol, High Wycombe, Slough, Tamworth, Wakefield, Stoke-on-Trent
FR: France, Frankreich, Paris, Seine-Saint-Denis, Saint-Denis, Sarcelles, Bobigny,
    Aubervilliers, Trappes, Lunel, Nice, Marseille, Lyon, Vénissieux, Venissieux, Villeurbanne,
    Vaulx-en-Velin, Toulouse, Le Mirail, Strasbourg, Roubaix, Tourcoing, Lille, Grenoble, Nîmes,
    Nimes, Montpellier, Bordeaux, Nantes, Rennes, Rouen, Le Havre, Mulhouse, Saint-Étienne,
    Albertville, Champigny, Argenteuil, Grigny, Évry, Mantes-la-Jolie, Creil, Chartres
BE: Belgium, Belgique, Belgien, Brussels, Bruxelles, Brüssel, Molenbeek, Sint-Jans-Molenbeek,
    Schaerbeek, Anderlecht, Saint-Gilles, Laeken, Antwerp, Anvers, Antwerpen, Vilvoorde,
    Charleroi, Liège, Liege, Verviers, Mechelen, Malines, Ghent, Gand, Gent, Namur, Mons, Genk,
    Borgerhout
NL: Netherlands, Pays-Bas, Niederlande, Holland, Amsterdam, Rotterdam, The Hague, Den Haag, La
    Haye, Utrecht, Almere, Delft, Arnhem, Gouda, Zoetermeer, Eindhoven, Tilburg, Schilderswijk,
    Huizen, Maastricht, Leiden, Haarlem
DE: Germany, Allemagne, Deutschland, Berlin, Neukölln, Moabit, Hamburg, Hambourg, Bremen, Brême,
    Cologne, Köln, Bonn, Düsseldorf, Duesseldorf, Dinslaken, Lohberg, Wuppertal, Solingen,
    Frankfurt, Francfort, Offenbach, Munich, München, Stuttgart, Ulm, Hildesheim, Wolfsburg,
    Hanover, Hannover, Dortmund, Duisburg, Gelsenkirchen, Bochum, Ruhrgebiet, Ruhr, Ruhr area,
    Ruhrpott, Leipzig, Dresden, Chemnitz, Cottbus, Lausitz, Oberlausitz, Sachsen, Saxony,
    Thüringen, Thuringia, Brandenburg, Bavaria, Bayern, Hesse, Hessen, Pforzheim,
    Mönchengladbach, Bielefeld, Kassel, Mainz
AT: Austria, Autriche, Österreich, Vienna, Vienne, Wien, Graz, Linz, Salzburg
CH: Switzerland, Suisse, Schweiz, Zurich, Zürich, Geneva, Genève, Winterthur, Basel, Bâle, Bern,
    Berne, Lausanne
DK: Denmark, Danemark, Dänemark, Copenhagen, Copenhague, Kopenhagen, Aarhus, Odense, Nørrebro,
    Norrebro, Gellerupparken, Ishøj, Brøndby, Aalborg
SE: Sweden, Suède, Schweden, Stockholm, Gothenburg, Göteborg, Goteborg, Angered, Malmö, Malmo,
    Rosengård, Uppsala, Örebro, Orebro, Borlänge, Rinkeby, Tensta, Husby, Västerås, Helsingborg,
    Norrköping
NO: Norway, Norvège, Norwegen, Oslo, Bergen, Trondheim, Trøndelag, Trondelag, Stavanger,
    Fredrikstad, Drammen, Grønland (Oslo), Tromsø
FI: Finland, Finlande, Finnland, Helsinki, Turku, Tampere
ES: Spain, Espagne, Spanien, Madrid, Barcelona, Barcelone, Ceuta, Melilla, Catalonia, Catalogne,
    Ripoll, Valencia, Seville, Séville
IT: Italy, Italie, Italien, Rome, Rom, Milan, Milano, Mailand, Turin, Torino, Naples, Bologna,
    Genoa
PT: Portugal, Lisbon, Lisbonne, Lissabon, Porto
IE: Ireland, Irlande, Irland, Dublin, Cork
PL: Poland, Pologne, Polen, Warsaw, Varsovie, Warschau, Kraków, Krakow
BA: Bosnia and Herzegovina, Bosnia-Herzegovina, Bosnia, Bosnie, Bosnien, Herzegovina, Sarajevo,
    Zenica, Tuzla, Travnik, Bihać, Bihac, Gornja Maoča, Gornja Maoca, Ošve, Mostar, Maglaj
XK: Kosovo, Pristina, Prishtina, Priština, Prizren, Mitrovica, Gjilan, Peja, Ferizaj, Kaçanik
AL: Albania, Albanie, Albanien, Tirana, Durrës, Elbasan
MK: North Macedonia, Macedonia, Macédoine, Mazedonien, Skopje, Tetovo, Kumanovo, Gostivar
RS: Serbia, Serbie, Serbien, Belgrade, Novi Pazar, Sandžak, Sandzak
TT: Trinidad and Tobago, Trinidad, Tobago, Port of Spain, Chaguanas, San Fernando, Rio Claro,
    Couva, Arima
SO: Somalia, Somalie, Mogadishu, Mogadiscio, Mogadischu, Kismayo, Kismaayo, Baidoa, Baydhabo,
    Bay region, Bakool, Gedo, Hiiraan, Beledweyne, Galkayo, Bosaso, Bossaso, Garowe, Jowhar,
    Afgooye, Afgoye, Marka, Merca, Barawe, Brava, Baardheere, Bardera, Diinsoor, Dinsor,
    Buurhakaba, Bur Hakaba, Bu'aale, Buale, Jilib, Jamame, Middle Juba, Lower Juba, Lower
    Shabelle, Middle Shabelle, Puntland, Galmudug, Dhusamareb, Hudur, Xudur, Wajid, Ceel Buur,
    El Bur, Elasha Biyaha
KE: Kenya, Nairobi, Majengo, Pumwani, Mombasa, Kisauni, Likoni, Majengo (Mombasa), Kwale, Diani,
    Ukunda, Lamu, Mpeketoni, Kilifi, Malindi, Watamu, Garissa, Mandera, Wajir, Isiolo, Marsabit,
    Tana River, Kisumu, Nakuru, Eldoret, Nyeri, Machakos, Thika, Taita Taveta, Kiunga
TZ: Tanzania, Tanzanie, Dar es Salaam, Zanzibar, Tanga, Arusha, Mwanza, Pemba Island, Kibiti
UG: Uganda, Ouganda, Kampala, Jinja, Gulu, Mbale, Kasese
ET: Ethiopia, Éthiopie, Äthiopien, Addis Ababa, Dire Dawa, Jijiga, Ogaden
ER: Eritrea, Érythrée, Asmara
DJ: Djibouti
SD: Sudan, Soudan, Khartoum, Omdurman, Darfur, Kassala
NG: Nigeria, Nigéria, Borno, Borno State, Maiduguri, Bama, Gwoza, Konduga, Dikwa, Monguno,
    Ngala, Gamboru, Damboa, Chibok, Kukawa, Baga, Abadam, Mobbar, Damasak, Kala-Balge, Sambisa,
    Biu, Askira, Yobe, Damaturu, Geidam, Potiskum, Buni Yadi, Gujba, Adamawa, Yola, Mubi,
    Michika, Madagali, Kano, Kaduna, Zaria, Bauchi, Gombe, Sokoto, Katsina, Zamfara, Abuja,
    Lagos, Jos
NE: Niger, Niamey, Diffa, Bosso, Tillabéri, Tillaberi, Tahoua, Zinder, Maradi, Agadez,
    Mainé-Soroa, Maine-Soroa, N'Guigmi, Nguigmi
TD: Chad, Tchad, Tschad, N'Djamena, Ndjamena, Lac, Lac province, Baga Sola, Ngouboua, Abéché,
    Abeche
CM: Cameroon, Cameroun, Kamerun, Far North Region, Extrême-Nord, Maroua, Mokolo, Kolofata,
    Mayo-Tsanaga, Mayo-Sava, Logone-et-Chari, Kousseri, Amchidé, Fotokol, Tourou, Yaoundé,
    Yaounde, Douala, Garoua
ML: Mali, Bamako, Mopti, Sévaré, Sevare, Douentza, Djenné, Djenne, Ténenkou, Tenenkou, Boni,
    Macina, Ségou, Segou, Tombouctou, Timbuktu, Gao, Kidal, Ménaka, Menaka, Niono, Bandiagara,
    Bankass, Diafarabé, Nampala, Léré, Youwarou
BF: Burkina Faso, Ouagadougou, Bobo-Dioulasso, Djibo, Dori, Kaya, Ouahigouya, Fada N'Gourma,
    Soum, Arbinda, Gorom-Gorom
MR: Mauritania, Mauritanie, Nouakchott
SN: Senegal, Sénégal, Dakar, Thiès, Touba
DZ: Algeria, Algérie, Algerien, Algiers, Alger, Oran, Constantine, Tamanrasset
MZ: Mozambique, Cabo Delgado, Mocímboa da Praia, Mocimboa da Praia, Palma, Pemba (Mozambique)
CD: Democratic Republic of the Congo, DRC, Congo-Kinshasa, Kinshasa, North Kivu, Goma, Ituri
ID: Indonesia, Indonésie, Indonesien, Java, East Java, Central Java, West Java, Jakarta,
    Surabaya, Bandung, Surakarta, Lamongan, Malang, Bekasi, Bogor, Depok, Tangerang, Poso,
    Sulawesi, Central Sulawesi, Makassar, Sumatra, Medan, Aceh, Banda Aceh, Lampung, Bima,
    Lombok, Yogyakarta, Semarang, Cirebon, Ngruki, Sukoharjo, Karawang
MY: Malaysia, Malaisie, Kuala Lumpur, Johor, Johor Bahru, Selangor, Kedah, Kelantan, Terengganu,
    Penang, Pulau Pinang, Perak, Pahang, Sabah, Sarawak, Melaka, Malacca, Negeri Sembilan,
    Perlis
PH: Philippines, Mindanao, Lanao del Sur, Lanao del Norte, Marawi, Marawi City, Iligan,
    Cotabato, Maguindanao, Basilan, Sulu, Jolo, Tawi-Tawi, Zamboanga, Sultan Kudarat, Manila,
    Davao, Butig, Piagapo, Lanao
TH: Thailand, Thaïlande, Pattani, Yala, Narathiwat, Bangkok
SG: Singapore, Singapour
MV: Maldives, Malé, Addu City, Hithadhoo, Fuvahmulah
LV: Latvia, Riga
PE: Peru, Lima
TL: Timor-Leste, East Timor, Dili
FJ: Fiji, Suva
WS: Samoa, Apia
BD: Bangladesh, Dhaka, Chittagong, Sylhet
IN: India, Inde, Indien, Kerala, Kasaragod, Mumbai, Bombay, Hyderabad, Srinagar, Delhi, New
    Delhi, Tamil Nadu, Coimbatore, Kalyan, Bangalore
LK: Sri Lanka, Colombo, Kattankudy, Batticaloa
AU: Australia, Australie, Australien, Sydney, Western Sydney, south-west Sydney, Lakemba,
    Bankstown, Punchbowl, Parramatta, Liverpool (Sydney), Melbourne, Broadmeadows, Dandenong,
    Brisbane, Perth, Midland, Adelaide, Canberra, Hobart, Darwin, Queensland, New South Wales,
    Western Australia, Tasmania, South Australia
NZ: New Zealand, Nouvelle-Zélande, Neuseeland, Auckland, Wellington, Christchurch
CA: Canada, Kanada, Toronto, Scarborough, Mississauga, Brampton, Ottawa, Montreal, Montréal,
    Calgary, Edmonton, Vancouver, Winnipeg, London (Ontario), Quebec, Québec, Ontario, Alberta,
    British Columbia, Manitoba, Saskatchewan, Nova Scotia
US: United States, United States of America, USA, U.S., US, America, Amérique, États-Unis,
    Etats-Unis, Vereinigte Staaten, Minneapolis, Minnesota, New York, Brooklyn, the Bronx, New
    Jersey, Chicago, Los Angeles, San Diego, San Francisco, Houston, Dallas, Texas, Atlanta,
    Detroit, Dearborn, Boston, Philadelphia, Virginia, Ohio, Florida, Miami, Orlando, Arizona,
    Oregon, Idaho, Montana, Michigan, Georgia (US), Colorado, Denver, Seattle, Nevada, Kansas,
    Missouri, Pennsylvania, Wisconsin, Tennessee, Kentucky, Alabama, North Carolina, South
    Carolina, Utah, Wyoming
IR: Iran, Tehran, Téhéran, Teheran, Ahvaz, Zahedan, Sistan, Baluchestan, Mashhad, Isfahan
IL: Israel, Jerusalem, Tel Aviv
PS: Palestine, Palestinian territories, Gaza, West Bank, Cisjordanie, Hebron, Nablus, Jenin,
    Ramallah
KW: Kuwait, Koweït
QA: Qatar, Doha
BH: Bahrain, Bahreïn, Manama
AE: United Arab Emirates, UAE, Émirats arabes unis, Dubai, Abu Dhabi, Sharjah
OM: Oman, Muscat
UA: Ukraine, Kyiv, Kiev, Crimea
BY: Belarus, Minsk
KP: North Korea, Corée du Nord, Nordkorea, Pyongyang
KR: South Korea, Corée du Sud, Südkorea, Seoul, Séoul
JP: Japan, Japon, Tokyo
BR: Brazil, Brésil, Brasilien, São Paulo, Rio de Janeiro
MX: Mexico, Mexique, Mexiko
AR: Argentina, Argentine, Buenos Aires
GH: Ghana, Accra, Kumasi, Tamale
CI: Côte d'Ivoire, Ivory Coast, Abidjan, Bouaké
BJ: Benin, Bénin, Cotonou, Porto-Novo
TG: Togo, Lomé
GN: Guinea, Guinée, Conakry
GM: Gambia, The Gambia, Banjul
LR: Liberia, Monrovia
SL: Sierra Leone, Freetown
RW: Rwanda, Kigali
BI: Burundi, Bujumbura
ZA: South Africa, Afrique du Sud, Südafrika, Johannesburg, Cape Town, Durban, Pretoria
CY: Cyprus, Chypre, Zypern, Nicosia
GR: Greece, Grèce, Griechenland, Athens, Athènes, Thessaloniki
HU: Hungary, Hongrie, Ungarn, Budapest
RO: Romania, Roumanie, Rumänien, Bucharest
BG: Bulgaria, Bulgarie, Bulgarien, Sofia
CZ: Czech Republic, Czechia, Tchéquie, Tschechien, Prague, Prag
SK: Slovakia, Slovaquie, Slowakei, Bratislava
HR: Croatia, Croatie, Kroatien, Zagreb
SI: Slovenia, Slovénie, Slowenien, Ljubljana
ME: Montenegro, Monténégro, Podgorica
LU: Luxembourg, Luxemburg
IS: Iceland, Islande, Island, Reykjavik
AM: Armenia, Arménie, Armenien, Yerevan
MN: Mongolia, Ulaanbaatar
NP: Nepal, Kathmandu
CU: Cuba, Havana
JM: Jamaica, Jamaïque, Kingston
GY: Guyana, Georgetown
SR: Suriname, Paramaribo
"""

# Countries where people from elsewhere went to fight: a place there is usually a destination.
CONFLICT_ZONES = frozenset({"SY", "IQ"})
