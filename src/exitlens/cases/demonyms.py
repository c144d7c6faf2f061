"""Demonyms by ISO 3166-1 alpha-2 code: English forms first, then French and German ones.

One line per country: ``CODE: form, form, ...``. Plural and feminine forms are listed where
they are not the singular plus "s" (English) or "e"/"en"/"in" (French, German), which the
gazetteer adds itself.
"""

from __future__ import annotations

DEMONYM_TABLE = """
AF: Afghan, Afghani, afghan, Afghane
AL: Albanian, albanais, Albaner
DZ: Algerian, algérien, Algerier
AO: Angolan, angolais
AR: Argentine, Argentinian, argentin, Argentinier
AM: Armenian, arménien, Armenier
AU: Australian, Aussie, australien, Australier
AT: Austrian, autrichien, Österreicher
AZ: Azerbaijani, Azeri, azerbaïdjanais, Aserbaidschaner
BH: Bahraini, bahreïni
BD: Bangladeshi, bangladais
BY: Belarusian, biélorusse
BE: Belgian, belge, Belgier, Flemish, Walloon
BJ: Beninese, béninois
BT: Bhutanese
BO: Bolivian, bolivien
BA: Bosnian, Bosniak, Herzegovinian, bosnien, bosniaque, Bosnier
BW: Motswana, Batswana
BR: Brazilian, brésilien, Brasilianer
BN: Bruneian
BG: Bulgarian, bulgare, Bulgare
BF: Burkinabe, Burkinabé, burkinabè
BI: Burundian, burundais
KH: Cambodian, Khmer, cambodgien
CM: Cameroonian, camerounais, Kameruner
CA: Canadian, canadien, Kanadier
CF: Central African, centrafricain
TD: Chadian, tchadien, Tschader
CL: Chilean, chilien
CN: Chinese, chinois, Uyghur, Uighur, ouïghour, Uigure
CO: Colombian, colombien, Kolumbianer
KM: Comorian, comorien
CD: Congolese, congolais, Kongolese
HR: Croatian, Croat, croate, Kroate
CU: Cuban, cubain, Kubaner
CY: Cypriot, chypriote, Zypriot
CZ: Czech, tchèque, Tscheche
DK: Danish, Dane, danois, Däne
DJ: Djiboutian, djiboutien
DO: Dominican, dominicain
EC: Ecuadorian, équatorien
EG: Egyptian, égyptien, Ägypter
SV: Salvadoran, salvadorien
ER: Eritrean, érythréen, Eritreer
EE: Estonian, estonien, Este
ET: Ethiopian, éthiopien, Äthiopier
FJ: Fijian
FI: Finnish, Finn, finlandais, Finne
FR: French, Frenchman, Frenchwoman, Frenchmen, Frenchwomen, français, française, Franzose,
    Französin
GA: Gabonese, gabonais
GM: Gambian, gambien
GE: Georgian, géorgien, Georgier
DE: German, allemand, Deutscher, Deutsche
GH: Ghanaian, ghanéen, Ghanaer
GR: Greek, grec, grecque, Grieche
GT: Guatemalan, guatémaltèque
GN: Guinean, guinéen
GW: Bissau-Guinean
GY: Guyanese
HT: Haitian, haïtien
HN: Honduran, hondurien
HU: Hungarian, hongrois, Ungar
IS: Icelandic, Icelander, islandais
IN: Indian, indien, Inder
ID: Indonesian, indonésien, Indonesier
IR: Iranian, Persian, iranien, Iraner
IQ: Iraqi, irakien, Iraker
IE: Irish, Irishman, Irishwoman, irlandais, Ire
IL: Israeli, israélien, Israeli
IT: Italian, italien, Italiener
CI: Ivorian, ivoirien, Ivorer
JM: Jamaican, jamaïcain
JP: Japanese, japonais, Japaner
JO: Jordanian, jordanien, Jordanier
KZ: Kazakh, Kazakhstani, kazakh, kazakhe, Kasache
KE: Kenyan, kényan, Kenianer
XK: Kosovar, Kosovan, kosovar, Kosovare
KW: Kuwaiti, koweïtien
KG: Kyrgyz, Kirghiz, kirghize, Kirgise
LA: Lao, Laotian, laotien
LV: Latvian, letton, Lette
LB: Lebanese, libanais, Libanese
LR: Liberian, libérien
LY: Libyan, libyen, Libyer
LT: Lithuanian, lituanien, Litauer
LU: Luxembourgish, Luxembourger, luxembourgeois
MG: Malagasy, malgache
MW: Malawian, malawite
MY: Malaysian, malaisien, Malaysier
MV: Maldivian, maldivien
ML: Malian, malien, Malier
MT: Maltese, maltais
MR: Mauritanian, mauritanien, Mauretanier
MU: Mauritian, mauricien
MX: Mexican, mexicain, Mexikaner
MD: Moldovan, moldave
MN: Mongolian, mongol
ME: Montenegrin, monténégrin
MA: Moroccan, marocain, Marokkaner
MZ: Mozambican, mozambicain
MM: Burmese, birman
NA: Namibian, namibien
NP: Nepali, Nepalese, népalais
NL: Dutch, Dutchman, Dutchwoman, Dutchmen, Dutchwomen, néerlandais, hollandais, Niederländer
NZ: New Zealander, Kiwi, néo-zélandais
NI: Nicaraguan, nicaraguayen
NE: Nigerien, nigérien
NG: Nigerian, nigérian, Nigerianer
KP: North Korean, nord-coréen, Nordkoreaner
MK: Macedonian, North Macedonian, macédonien, Mazedonier
NO: Norwegian, norvégien, Norweger
OM: Omani, omanais
PK: Pakistani, pakistanais, Pakistaner
PS: Palestinian, palestinien, Palästinenser
PA: Panamanian, panaméen
PG: Papua New Guinean
PY: Paraguayan, paraguayen
PE: Peruvian, péruvien
PH: Filipino, Filipina, Philippine, philippin, Philippiner
PL: Polish, Pole, polonais, Pole
PT: Portuguese, portugais, Portugiese
QA: Qatari, qatari
RO: Romanian, roumain, Rumäne
RU: Russian, russe, Russe, Chechen, Dagestani, Ingush, Tatar, Avar, tchétchène, daghestanais,
    Tschetschene, Dagestaner
RW: Rwandan, rwandais
SA: Saudi, Saudi Arabian, saoudien, Saudi
SN: Senegalese, sénégalais, Senegalese
RS: Serbian, Serb, serbe, Serbe
SL: Sierra Leonean, sierra-léonais
SG: Singaporean, singapourien
SK: Slovak, slovaque, Slowake
SI: Slovenian, Slovene, slovène, Slowene
SO: Somali, Somalian, somalien, Somalier
ZA: South African, sud-africain, Südafrikaner
KR: South Korean, sud-coréen, Südkoreaner
SS: South Sudanese, sud-soudanais
ES: Spanish, Spaniard, espagnol, Spanier
LK: Sri Lankan, sri-lankais
SD: Sudanese, soudanais, Sudanese
SR: Surinamese, surinamais
SE: Swedish, Swede, suédois, Schwede
CH: Swiss, suisse, Schweizer
SY: Syrian, syrien, Syrer
TW: Taiwanese, taïwanais
TJ: Tajik, Tajikistani, Tadjik, tadjik, Tadschike
TZ: Tanzanian, tanzanien
TH: Thai, thaïlandais
TG: Togolese, togolais
TT: Trinidadian, Trinidadian and Tobagonian, Tobagonian, trinidadien
TN: Tunisian, tunisien, Tunesier
TR: Turkish, Turk, turc, turque, Türke, Türkin
TM: Turkmen, turkmène, Turkmene
UG: Ugandan, ougandais
UA: Ukrainian, ukrainien, Ukrainer
AE: Emirati, émirien, Emirati
GB: British, Briton, Brit, English, Englishman, Englishwoman, Scottish, Scot, Welsh,
    britannique, anglais, Brite, Engländer
US: American, américain, Amerikaner
UY: Uruguayan, uruguayen
UZ: Uzbek, Uzbekistani, ouzbek, ouzbèke, Usbeke
VE: Venezuelan, vénézuélien
VN: Vietnamese, vietnamien
YE: Yemeni, Yemenite, yéménite, Jemenit
ZM: Zambian, zambien
ZW: Zimbabwean, zimbabwéen
CV: Cape Verdean, cap-verdien
GQ: Equatorial Guinean
SZ: Swazi, Eswatini
LS: Basotho, Mosotho
BB: Barbadian, Bajan
BS: Bahamian
BZ: Belizean
CR: Costa Rican
"""

