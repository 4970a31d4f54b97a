"""Seeded generator of names of many cultures that are, by check, on no list.

Names are drawn from per-culture pools of given names and surnames (persons) and of words and
trades (companies), some written in their own script. A generated name is rejected when its set
of distinctive parts, compared by consonant skeleton (so Ahmad = Ahmed), contains or is contained
in the set of any listed name: such a name could legitimately be the listed party.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from exportguard.domain.screening.blocking import keyed_parts
from exportguard.domain.screening.entries import Schema
from exportguard.domain.screening.names import parse_name

_W = str.split
CULTURES: dict[str, tuple[list[str], list[str]]] = {
    "english": (
        _W(
            "James Oliver Emily Charlotte George Harry Amelia Jack Sophie Thomas Lucy William "
            "Grace Daniel Hannah Matthew Chloe Samuel Ella Joshua"
        ),
        _W(
            "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson "
            "Evans Walker White Roberts Green Hall Wood Jackson Clarke Hughes Edwards Harrison"
        ),
    ),
    "spanish": (
        _W(
            "Lucia Mateo Sofia Hugo Martina Pablo Daniela Alvaro Carmen Sergio Paula Javier "
            "Elena Diego Alba Adrian Irene Marcos Noelia Raul"
        ),
        _W(
            "Garcia Fernandez Gonzalez Rodriguez Lopez Martinez Sanchez Perez Gomez Martin "
            "Jimenez Ruiz Hernandez Diaz Moreno Alvarez Romero Navarro Torres Dominguez"
        ),
    ),
    "portuguese": (
        _W(
            "Joao Beatriz Tiago Ines Rafael Mariana Goncalo Leonor Duarte Matilde Rodrigo "
            "Carolina Afonso Francisca Tomas Larissa Bruno Camila Thiago Gabriela"
        ),
        _W(
            "Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Sousa Fernandes "
            "Goncalves Gomes Lopes Marques Alves Almeida Ribeiro Pinto Carvalho Teixeira"
        ),
    ),
    "french": (
        _W(
            "Camille Louise Gabriel Jules Manon Arthur Chloe Louis Ines Raphael Lea Adam "
            "Juliette Hugo Margaux Theo Clemence Nathan Amandine Baptiste"
        ),
        _W(
            "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon "
            "Laurent Lefebvre Michel Garnier Faure Rousseau Blanc Guerin Muller Chevalier"
        ),
    ),
    "german": (
        _W(
            "Lukas Leonie Finn Hannah Jonas Lena Felix Marie Paul Johanna Maximilian Klara "
            "Niklas Greta Tobias Frieda Moritz Ida Jannik Mia"
        ),
        _W(
            "Mueller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann "
            "Koch Bauer Richter Klein Wolf Schroeder Neumann Schwarz Zimmermann Braun Krueger"
        ),
    ),
    "italian": (
        _W(
            "Giulia Lorenzo Alessia Matteo Chiara Leonardo Francesca Riccardo Sara Tommaso "
            "Aurora Edoardo Martina Gabriele Elisa Davide Federica Simone Valentina Pietro"
        ),
        _W(
            "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno "
            "Gallo Conti DeLuca Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri"
        ),
    ),
    "russian": (
        _W(
            "Anastasia Dmitry Ekaterina Maxim Polina Artem Daria Kirill Ksenia Egor Varvara "
            "Timofei Alina Matvei Veronika Gleb Milana Arseny Zlata Stepan"
        ),
        _W(
            "Smirnov Kuznetsova Popov Vasilieva Sokolov Mikhailova Novikov Fedorova Morozov "
            "Volkova Lebedev Kozlova Pavlov Stepanova Semenov Nikolaeva Golubev Vinogradova "
            "Bogdanov Vorobyova"
        ),
    ),
    "cyrillic": (
        _W(
            "Анастасия Дмитрий Екатерина Максим Полина Артём Дарья Кирилл Ксения Егор "
            "Оксана Тарас Богдана Остап Ярослава"
        ),
        _W(
            "Соколова Лебедев Козлова Голубев Виноградова Богданов Воробьёва Шевчук "
            "Бондаренко Коваленко Ткаченко Кравченко Олейник Мельничук"
        ),
    ),
    "polish": (
        _W(
            "Zofia Jakub Zuzanna Kacper Julia Szymon Maja Filip Hanna Wojciech Oliwia "
            "Bartosz Alicja Mikolaj Wiktoria Igor Natalia Dawid Amelia Krzysztof"
        ),
        _W(
            "Nowak Kowalski Wisniewski Wojcik Kowalczyk Kaminski Lewandowski Zielinski "
            "Szymanski Wozniak Dabrowski Kozlowski Jankowski Mazur Kwiatkowski Krawczyk "
            "Piotrowski Grabowski Nowakowski Pawlowski"
        ),
    ),
    "turkish": (
        _W(
            "Elif Yusuf Zeynep Eymen Defne Miraç Ecrin Kerem Nehir Alparslan Asel Çınar "
            "Öykü Göktuğ İrem Barış Şule Doruk Ilgın Bora"
        ),
        _W(
            "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan "
            "Kılıç Aslan Çetin Kara Koç Kurt Özkan Şimşek"
        ),
    ),
    "chinese": (
        _W("Wei Fang Xiu Ying Jun Lei Min Jing Tao Yan Hao Li Na Qiang Xin Yun Bo Lan Zhen Hui"),
        _W("Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo Zheng"),
    ),
    "japanese": (
        _W(
            "Haruto Yui Sota Hina Yuto Aoi Riku Sakura Minato Mei Hinata Yuna Sora Rin "
            "Kaito Mio Ren Koharu Daiki Akari"
        ),
        _W(
            "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato "
            "Yoshida Yamada Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Mori"
        ),
    ),
    "korean": (
        _W(
            "Minjun Seoyeon Jiho Haeun Dohyun Jiwoo Eunwoo Sua Siwoo Jiyu Yejun Chaewon "
            "Hajun Dahyun Jungwoo Yerin Seojun Sohee Hyunwoo Minseo"
        ),
        _W("Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song Yoo Hong"),
    ),
    "vietnamese": (
        _W(
            "Anh Bao Chau Duc Giang Hanh Huy Khanh Linh Minh Ngoc Phuong Quang Thao Trang "
            "Tuan Uyen Vinh Xuan Yen"
        ),
        _W("Nguyen Tran Le Pham Hoang Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly"),
    ),
    "indian": (
        _W(
            "Aarav Ananya Vihaan Diya Arjun Saanvi Reyansh Aadhya Krishna Ishita Aditya "
            "Kavya Rohan Meera Siddharth Priya Ishaan Neha Vikram Pooja"
        ),
        _W(
            "Sharma Verma Gupta Iyer Nair Reddy Patel Mehta Joshi Kulkarni Menon Pillai "
            "Chatterjee Banerjee Mukherjee Bhat Rao Desai Malhotra Kapoor"
        ),
    ),
    "arabic": (
        _W(
            "Omar Layla Karim Yasmin Tariq Nour Faisal Rania Samir Huda Nabil Salma Walid "
            "Dina Ziad Lina Rami Hiba Majed Farah"
        ),
        _W(
            "Haddad Khoury Nassar Saleh Farouk Mansour Darwish Jaber Qasim Sabbagh Taha "
            "Barakat Haddadin Shami Masri Halabi Tamimi Zaidan Obeidat Rashid"
        ),
    ),
    "arabic-script": (
        _W("ليلى كريم ياسمين نور فيصل رانيا سمير هدى نبيل سلمى"),
        _W("حداد خوري نصار صالح فاروق درويش جابر صباغ بركات شامي"),
    ),
    "persian": (
        _W(
            "Arash Shirin Dariush Parisa Kourosh Niloufar Babak Roya Kaveh Mina Farhad "
            "Golnar Siamak Leila Bijan Taraneh Payam Azadeh Omid Sepideh"
        ),
        _W(
            "Tehrani Shirazi Esfahani Tabrizi Kermani Mashhadi Rostami Jafari Sadeghi "
            "Moradi Ghorbani Karimi Hosseini Bagheri Rahimi Kazemi Nazari Ahmadi Heidari "
            "Zamani"
        ),
    ),
    "nigerian": (
        _W(
            "Chinedu Adaeze Oluwaseun Ngozi Emeka Funmilayo Tunde Chiamaka Ifeanyi Yetunde "
            "Obinna Folake Babatunde Amaka Kelechi Bisola Uche Temitope Nnamdi Ebele"
        ),
        _W(
            "Okafor Adeyemi Okonkwo Balogun Eze Adebayo Nwosu Ogunleye Chukwu Afolabi Obi "
            "Oyelaran Nwachukwu Adeleke Onyeka Fashola Okeke Ogundipe Ibekwe Akinola"
        ),
    ),
    "east-african": (
        _W(
            "Wanjiru Kamau Achieng Otieno Njeri Mwangi Akinyi Kiprop Wambui Baraka Zawadi "
            "Juma Neema Amani Imani Jabari Rehema Tumaini Faraja Kito"
        ),
        _W(
            "Mutua Kariuki Odhiambo Wafula Chebet Kiptoo Njoroge Onyango Muthoni Wekesa "
            "Kimani Ndungu Macharia Mwakilema Kisanga Massawe Lyimo Mollel Shirima Temba"
        ),
    ),
    "indonesian": (
        _W(
            "Putri Budi Siti Agus Dewi Eko Rina Hendra Wulan Rudi Ayu Bambang Indah Dedi "
            "Fitri Joko Lestari Yudi Sri Teguh"
        ),
        _W(
            "Santoso Wijaya Kusuma Pratama Saputra Hidayat Setiawan Nugroho Wibowo Susanto "
            "Purnomo Halim Gunawan Hartono Tanoto Salim Lesmana Sutanto Kurniawan Wirawan"
        ),
    ),
    "greek": (
        _W("Γιώργος Μαρία Νίκος Ελένη Κώστας Κατερίνα Δημήτρης Σοφία Γιάννης Άννα"),
        _W(
            "Παπαδόπουλος Βλάχος Αγγελόπουλος Νικολάου Γεωργίου Δημητρίου Μακρής "
            "Οικονόμου Καραγιάννης Σταθόπουλος"
        ),
    ),
    "nordic": (
        _W(
            "Astrid Lars Ingrid Sven Freja Magnus Sigrid Erik Elsa Henrik Liv Anders Saga "
            "Nils Maja Oskar Linnea Bjorn Ebba Gustav"
        ),
        _W(
            "Johansson Andersson Karlsson Nilsson Eriksson Larsson Olsen Hansen Pedersen "
            "Lindqvist Bergstrom Lindgren Halvorsen Dahl Berg Haugen Nordby Lund Strand "
            "Sandberg"
        ),
    ),
    "georgian-armenian": (
        _W(
            "Nino Giorgi Tamar Levan Mariam Davit Ani Lasha Ketevan Irakli Armen Lusine "
            "Tigran Anahit Hovhannes Siranush Gevorg Nune Aram Karine"
        ),
        _W(
            "Beridze Kapanadze Gelashvili Maisuradze Tsiklauri Lomidze Kvaratskhelia "
            "Abashidze Chikovani Japaridze Harutyunyan Sargsyan Hakobyan Grigoryan "
            "Vardanyan Petrosyan Khachatryan Avetisyan Mkrtchyan Gasparyan"
        ),
    ),
}
COMPANY_WORDS = _W(
    "Aurora Blue River Cedar Summit Harbor Nordic Granite Silver Maple Horizon Crescent Falcon "
    "Lotus Meridian Pioneer Atlas Sunrise Coral Willow Orchid Sequoia Beacon Evergreen Quartz "
    "Prairie Tundra Lagoon Canyon Birch Alder Sapphire Topaz Saffron Juniper Marigold Kestrel"
)
COMPANY_TRADES = _W(
    "Bakery Textiles Furniture Dental Clinic Software Robotics Ceramics Printing Packaging "
    "Catering Landscaping Optics Pharmacy Dairy Brewery Bicycles Garments Seeds Toys Travel "
    "Consulting Architecture Accounting Veterinary Pottery Books Music Tiles Solar"
)
LEGAL_FORMS = _W("Ltd LLC GmbH S.A. Inc. A.Ş. OOO B.V. S.r.l. Pty AB Oy SARL Kft")


def _skeleton_set(name: str) -> frozenset[str]:
    return frozenset(p.skeleton or p.text for p in keyed_parts(parse_name(name)))


class InnocentNames:
    """Generate names that share no full set of distinctive parts with any listed name."""

    def __init__(self, listed_names: Iterable[str], seed: int = 20240502) -> None:
        self._random = random.Random(seed)
        self._listed: set[frozenset[str]] = set()
        self._by_part: dict[str, list[frozenset[str]]] = {}
        for name in listed_names:
            parts = _skeleton_set(name)
            if parts:
                self._listed.add(parts)
        for parts in self._listed:
            for part in parts:
                self._by_part.setdefault(part, []).append(parts)
        self.rejected = 0
        self.cultures_used: set[str] = set()

    def _collides(self, name: str) -> bool:
        parts = _skeleton_set(name)
        if not parts:
            return True
        ordered = sorted(parts)
        # A listed name made only of this name's parts (same name, or a shorter form of it of two
        # parts or more: one shared part, "Kim" or "Ali", is no reason to exclude a name).
        for mask in range(1, 1 << len(ordered)):
            subset = frozenset(p for i, p in enumerate(ordered) if mask >> i & 1)
            if (len(subset) >= 2 or subset == parts) and subset in self._listed:
                return True
        # A listed name containing all of this name's parts (this name is a shorter form of it).
        rarest = min(ordered, key=lambda p: len(self._by_part.get(p, ())))
        return any(parts <= listed for listed in self._by_part.get(rarest, ()))

    def _person(self) -> tuple[str, Schema]:
        culture = self._random.choice(list(CULTURES))
        self.cultures_used.add(culture)
        given, family = CULTURES[culture]
        parts = [self._random.choice(given)]
        if self._random.random() < 0.25:
            parts.append(self._random.choice(given))
        parts.append(self._random.choice(family))
        if self._random.random() < 0.3:
            parts.reverse()
        return " ".join(parts), Schema.PERSON

    def _company(self) -> tuple[str, Schema]:
        words = [self._random.choice(COMPANY_WORDS)]
        if self._random.random() < 0.5:
            words.append(self._random.choice(COMPANY_WORDS))
        words.append(self._random.choice(COMPANY_TRADES))
        words.append(self._random.choice(LEGAL_FORMS))
        return " ".join(words), Schema.ORGANISATION

    def generate(self, count: int, company_share: float = 0.2) -> list[tuple[str, Schema]]:
        """``count`` distinct names, persons and companies, none colliding with the list."""
        names: dict[str, Schema] = {}
        attempts = 0
        while len(names) < count:
            attempts += 1
            if attempts > count * 50:
                raise RuntimeError("name pools too small for the requested count")
            name, schema = self._company() if self._random.random() < company_share else self._person()
            if name in names:
                continue
            if self._collides(name):
                self.rejected += 1
                continue
            names[name] = schema
        return list(names.items())
