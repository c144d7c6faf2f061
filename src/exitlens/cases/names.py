"""Common given names, a weak last resort for gender when the text gives no pronoun, title
or noun. Kept short on purpose: names cross genders across languages."""

from __future__ import annotations

import re

FEMALE_NAMES = frozenset("""
    Aisha Aicha Aïcha Amina Asma Asiya Fatima Fatma Fatou Fatoumata Hafsa Halima Hanan Hiba
    Hind Iman Khadija Khadidja Latifa Layla Leila Lina Maryam Mariam Meryem Noor Nour Rania Rim
    Safiya Samira Sara Souad Zahra Zainab Zaynab Zeinab Yasmin Yasmina Amal Dounia Houda Karima
    Malika Nawal Naima Rachida Siham Wafa Zohra Hamida Habiba Asha Amran Faadumo Hodan Sahra
    Sagal Ayaan Ifrah Kadija Maryan Aziza Gulnara Nilufar Madina Aigul Aida Dinara Gulnaz
    Zalina Kheda Malika Milana Siti Nur Dewi Putri Sri Aisyah Nurul Emina Lejla Elif Zeynep
    Ayşe Büşra Esra Emine Hatice Anna Maria Laura Julia Sophie Emma Lena Lea Nina Marie Camille
    Chloé Julie Léa Manon Ingrid Astrid Karin Anja Katarina Hanna Hannah Jessica Rebecca Rachel
    Karen Susan Linda Keisha Tamika Hauwa Aishatu Zara Zuwaira Bintu Kaltume Yagana Mariama
    Kadiatou Ramatoulaye Rehema Mwanaisha Zawadi Neema Aminata Awa Binta Hadiza Aigerim
    Dilnoza Zarina Shahida Ayesha Nasreen Farzana Sumaya Aishath Mwajuma Saida Kayla Emily
    Olivia Chloe Jade Megan Shannon Amra Medina
""".split())

MALE_NAMES = frozenset("""
    Abdullah Abdallah Abdelkader Abdelaziz Abdelhamid Abdirahman Abdullahi Adam Ahmad Ahmed Ali
    Amin Amir Anas Anwar Ayoub Bilal Farouk Hassan Hussein Hussain Ibrahim Idris Karim Mehdi
    Mohamed Mohammed Muhammad Mustafa Mostafa Osama Rami Salah Samir Tarek Yasin Youssef Yousef
    Zakaria Ziad Hamid Rachid Said Sami Walid Abdi Abdikarim Farah Guled Hassan Liban Mohamud
    Yonis Rustam Timur Aziz Jahongir Sherzod Davron Magomed Akhmed Shamil Murad Arslan
    Mehmet Mustafa Ahmet Murat Burak Hakan Babagana Goni Kyari Musa Usman Umar Abubakar
    Aliyu Bello Amadou Oumar Moussa Seydou Hamisi Bakari Rashid Imran Nadeem Shahid Arif Bilal
    Rizwan Budi Agus Eko Joko Saiful Tom John James David Michael Daniel Thomas Erik Anders
    Lars Johan Magnus Niklas Jonas Lukas Felix Jan Max Paul Pierre Jean Nicolas Julien Karl
    Stefan Tobias Dennis Kevin Marco Omari Baraka Ibrahima Mamadou Modibo Boubacar Yerlan
    Nurlan Bakhtiyor Farrukh Ruslan Zurab Rashad Elvin Syed Khalid Khaled Yusuf Omar Ilyas Zain
    Dean Liam Ryan Jack Declan Connor Jamie Mattias Aleksandar Haris Adnan Edin
""".split())


def given_name_gender(name: str) -> str | None:
    """The gender a given name usually has, from the first word of ``name``."""
    first = re.split(r"[\s._@\d]+", name.strip("@"))[0].strip(".,").title()
    if first in FEMALE_NAMES:
        return "female"
    if first in MALE_NAMES:
        return "male"
    return None
