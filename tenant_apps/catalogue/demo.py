"""Demo catalogue for the Showroom France programme: verticals, certifications, the
supported companies' products in French and English, a composed showroom page and buyers.

Idempotent: verticals and certifications are matched by slug, products by company and
title, and the page is composed only when it has no block yet.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

# (slug, French name, English name, English description)
VERTICALS = [
    ("industry-4-0", "Industrie du futur", "Industry 4.0", "Robotics, industrial IoT, digital twins and automation."),
    ("agricultural-equipment", "Agroéquipements et intrants", "Agricultural equipment and inputs",
     "Machinery, precision farming and bio-based inputs."),
    ("medical-devices", "Dispositifs médicaux", "Medical devices", "Implants, monitoring and hospital equipment."),
    ("aerospace", "Aéronautique et spatial", "Aerospace", "Aerostructures, small satellites and drones."),
    ("maritime", "Maritime", "Maritime", "Work boats, marine propulsion and port equipment."),
    ("land-transport", "Transports terrestres", "Land transport", "Electric buses and rail equipment."),
    ("machine-tools", "Machines-outils", "Machine tools", "Machining centres, lathes and precision parts."),
    ("construction", "Construction", "Construction", "Low-carbon concrete and timber-frame buildings."),
    ("ecological-transition", "Transition écologique", "Ecological transition",
     "Water treatment, recycling and green hydrogen."),
    ("recycled-machines", "Machines reconditionnées", "Recycled machines",
     "Refurbished, warranted machine tools and presses."),
]

# (slug, name, English name, issuer)
CERTIFICATIONS = [
    ("ce", "Marquage CE", "CE marking", "Union européenne"),
    ("iso-9001", "ISO 9001", "ISO 9001", "ISO"),
    ("iso-13485", "ISO 13485 (dispositifs médicaux)", "ISO 13485 (medical devices)", "ISO"),
    ("en-9100", "EN 9100 (aéronautique)", "EN 9100 (aerospace)", "IAQG"),
    ("iso-14001", "ISO 14001 (environnement)", "ISO 14001 (environment)", "ISO"),
    ("mdr", "Règlement (UE) 2017/745 (MDR)", "EU MDR 2017/745", "Union européenne"),
    ("organic-inputs", "Utilisable en agriculture biologique", "Approved for organic farming", "Ecocert"),
    ("bureau-veritas-marine", "Classification Bureau Veritas Marine", "Bureau Veritas Marine class", "Bureau Veritas"),
]

# Company name -> products: (kind, title, description, English title, English description, verticals,
#   certifications, HS code, countries served, minimum order, lead time, [(name, English name, value)])
PRODUCTS = {
    "Usinage Précis Lyonnais": [
        ("service", "Usinage 5 axes de pièces aéronautiques",
         "Usinage simultané 5 axes de pièces en titane, Inconel et aluminium, de la pièce prototype à la série de 500.",
         "5-axis machining of aerospace parts",
         "Simultaneous 5-axis machining of titanium, Inconel and aluminium parts, from prototype to runs of 500.",
         ["machine-tools", "aerospace"], ["iso-9001", "en-9100"], "", ["DE", "US", "AE", "MA"], "1 pièce", "3 à 6 semaines",
         [("Course X/Y/Z", "X/Y/Z travel", "1 200 × 800 × 700 mm"), ("Tolérance", "Tolerance", "± 5 µm"),
          ("Matières", "Materials", "Ti6Al4V, Inconel 718, 7075")]),
        ("product", "Implant rachidien usiné en titane",
         "Cages intersomatiques usinées en titane de grade 5, livrées stériles sous double emballage.",
         "Machined titanium spinal implant",
         "Grade 5 titanium interbody cages, delivered sterile in double packaging.",
         ["medical-devices", "machine-tools"], ["iso-13485"], "902190", ["DE", "IN", "BR"], "50 pièces", "8 semaines",
         [("Matière", "Material", "Ti-6Al-4V ELI"), ("Stérilisation", "Sterilisation", "Rayonnement gamma")]),
    ],
    "AgriTech Beauce": [
        ("product", "Sonde d'humidité du sol connectée",
         "Sonde capacitive à trois profondeurs qui transmet l'humidité du sol toutes les 15 minutes en LoRaWAN.",
         "Connected soil moisture probe",
         "Capacitive probe at three depths, sending soil moisture every 15 minutes over LoRaWAN.",
         ["agricultural-equipment", "industry-4-0"], ["ce"], "902580", ["MA", "IN", "BR", "US"], "10 sondes", "2 semaines",
         [("Profondeurs", "Depths", "10, 30 et 60 cm"), ("Autonomie", "Battery life", "5 ans"),
          ("Réseau", "Network", "LoRaWAN, NB-IoT")]),
        ("service", "Cartes de modulation de dose",
         "Cartes de préconisation d'azote calculées à partir d'images satellites, compatibles avec les consoles ISOBUS.",
         "Variable-rate application maps",
         "Nitrogen prescription maps computed from satellite imagery, ready for ISOBUS consoles.",
         ["agricultural-equipment"], [], "", ["MA", "BR", "IN"], "100 ha", "48 heures",
         [("Format", "Format", "ISO-XML, shapefile"), ("Résolution", "Resolution", "10 m")]),
    ],
    "MedSensor Grenoble": [
        ("product", "Patch ECG sans fil 7 jours",
         "Patch ECG une dérivation pour la télésurveillance cardiaque ambulatoire, analyse des arythmies incluse.",
         "7-day wireless ECG patch",
         "Single-lead ECG patch for ambulatory cardiac remote monitoring, with arrhythmia analysis.",
         ["medical-devices"], ["ce", "mdr", "iso-13485"], "901811", ["DE", "SE", "AE", "US"], "100 patchs",
         "4 semaines", [("Durée d'enregistrement", "Recording time", "7 jours"), ("Poids", "Weight", "12 g"),
                        ("Étanchéité", "Water resistance", "IP67")]),
    ],
    "Aéro Composites Toulouse": [
        ("product", "Panneau sandwich composite pour aménagement cabine",
         "Panneaux nid d'abeille Nomex et peaux carbone, conformes aux exigences feu-fumée-toxicité.",
         "Composite sandwich panel for cabin interiors",
         "Nomex honeycomb panels with carbon skins, compliant with fire, smoke and toxicity requirements.",
         ["aerospace"], ["en-9100", "iso-9001"], "880730", ["DE", "US", "AE", "BR"], "20 panneaux", "10 semaines",
         [("Épaisseur", "Thickness", "10 à 25 mm"), ("Densité", "Density", "48 kg/m³")]),
    ],
    "Robotique Alsace": [
        ("product", "Cellule de palettisation robotisée",
         "Cellule clé en main avec robot 6 axes, convoyeurs et logiciel de plans de palettisation sans programmation.",
         "Robotic palletising cell",
         "Turnkey cell with a 6-axis robot, conveyors and no-code pallet pattern software.",
         ["industry-4-0"], ["ce"], "847950", ["DE", "MA", "AE", "SE"], "1 cellule", "12 semaines",
         [("Cadence", "Rate", "12 colis par minute"), ("Charge utile", "Payload", "180 kg")]),
        ("product", "Cobot de chargement de machines",
         "Robot collaboratif sur chariot mobile pour charger tours et centres d'usinage, mis en service en une journée.",
         "Machine-tending cobot",
         "Collaborative robot on a mobile cart that loads lathes and machining centres, commissioned in a day.",
         ["industry-4-0", "machine-tools"], ["ce"], "847950", ["DE", "US", "IN"], "1 unité", "6 semaines",
         [("Portée", "Reach", "1 300 mm"), ("Charge utile", "Payload", "12 kg")]),
    ],
    "Capteurs Bretagne Industrie": [
        ("product", "Capteur vibratoire sans fil pour maintenance prédictive",
         "Capteur triaxial autonome qui détecte balourds, désalignements et défauts de roulements.",
         "Wireless vibration sensor for predictive maintenance",
         "Self-powered triaxial sensor that detects imbalance, misalignment and bearing faults.",
         ["industry-4-0"], ["ce", "iso-9001"], "903180", ["DE", "US", "SE", "IN"], "20 capteurs", "3 semaines",
         [("Bande passante", "Bandwidth", "0 à 10 kHz"), ("Protection", "Protection", "IP68, ATEX zone 2")]),
    ],
    "Chantiers Navals de l'Atlantique Sud": [
        ("product", "Navette passagers en aluminium 24 m",
         "Navette de 150 passagers à faible tirant d'eau, propulsion hybride diesel-électrique.",
         "24 m aluminium passenger shuttle",
         "150-passenger shallow-draught shuttle with hybrid diesel-electric propulsion.",
         ["maritime"], ["bureau-veritas-marine"], "890190", ["AE", "MA", "BR"], "1 navire", "14 mois",
         [("Longueur", "Length", "24 m"), ("Vitesse", "Speed", "22 nœuds"), ("Passagers", "Passengers", "150")]),
    ],
    "Tracteurs Normands": [
        ("product", "Faucheuse conditionneuse frontale 3 m",
         "Faucheuse à disques avec conditionneur à doigts pour un séchage rapide des fourrages.",
         "3 m front mower conditioner",
         "Disc mower with tine conditioner for fast forage drying.",
         ["agricultural-equipment"], ["ce"], "843320", ["DE", "MA", "SE", "BR"], "1 machine", "8 semaines",
         [("Largeur de travail", "Working width", "3,0 m"), ("Puissance requise", "Power required", "75 ch")]),
    ],
    "Bioferti Occitanie": [
        ("product", "Biostimulant racinaire à base d'algues",
         "Extrait d'algues brunes et d'acides humiques qui renforce l'enracinement des cultures maraîchères.",
         "Seaweed-based root biostimulant",
         "Brown seaweed and humic acid extract that strengthens rooting in vegetable crops.",
         ["agricultural-equipment", "ecological-transition"], ["organic-inputs"], "310100", ["MA", "IN", "BR", "AE"],
         "1 palette (600 L)", "2 semaines", [("Dose", "Rate", "2 L/ha"), ("Conditionnement", "Packaging", "Bidons de 20 L")]),
    ],
    "Orthopédie Innovante Lille": [
        ("product", "Implant de genou sur mesure imprimé en 3D",
         "Implant conçu à partir du scanner du patient et imprimé en titane, avec guides de coupe chirurgicaux.",
         "3D-printed patient-specific knee implant",
         "Implant designed from the patient's CT scan and printed in titanium, with surgical cutting guides.",
         ["medical-devices"], ["ce", "mdr", "iso-13485"], "902131", ["DE", "AE", "IN"], "1 implant", "3 semaines",
         [("Matière", "Material", "Titane Ti6Al4V"), ("Délai de conception", "Design time", "5 jours")]),
    ],
    "Satellites Légers Provence": [
        ("product", "Plateforme CubeSat 6U",
         "Plateforme 6U qualifiée en vol avec contrôle d'attitude, énergie et bord, prête à recevoir la charge utile.",
         "6U CubeSat platform",
         "Flight-proven 6U platform with attitude control, power and on-board computer, ready for the payload.",
         ["aerospace"], ["iso-9001"], "880260", ["DE", "US", "IN", "AE"], "1 plateforme", "9 mois",
         [("Puissance", "Power", "60 W"), ("Pointage", "Pointing accuracy", "0,05°")]),
    ],
    "Bus Électriques du Rhône": [
        ("product", "Minibus électrique urbain 22 places",
         "Minibus à plancher bas, 250 km d'autonomie, recharge rapide en 1 heure, accessible aux fauteuils roulants.",
         "22-seat urban electric minibus",
         "Low-floor minibus, 250 km range, fast charging in one hour, wheelchair accessible.",
         ["land-transport", "ecological-transition"], ["ce"], "870240", ["MA", "AE", "SE"], "1 véhicule", "6 mois",
         [("Autonomie", "Range", "250 km"), ("Places", "Seats", "22"), ("Batterie", "Battery", "210 kWh")]),
    ],
    "Ferroviaire Hauts-de-France": [
        ("product", "Siège voyageur ferroviaire modulaire",
         "Siège léger pour trains régionaux, coussins remplaçables en 2 minutes, conforme EN 45545.",
         "Modular railway passenger seat",
         "Lightweight seat for regional trains, cushions replaced in two minutes, EN 45545 compliant.",
         ["land-transport"], ["iso-9001"], "940120", ["DE", "IN", "BR", "MA"], "200 sièges", "16 semaines",
         [("Masse", "Weight", "14 kg par place"), ("Norme feu", "Fire standard", "EN 45545-2 HL3")]),
    ],
    "Tours et Centres d'Usinage Savoie": [
        ("product", "Tour multibroche à commande numérique",
         "Tour 6 broches pour le décolletage de grande série, changement de série en moins de 2 heures.",
         "CNC multi-spindle lathe",
         "Six-spindle lathe for high-volume bar turning, changeover in under two hours.",
         ["machine-tools"], ["ce", "iso-9001"], "845811", ["DE", "US", "IN", "BR"], "1 machine", "5 mois",
         [("Broches", "Spindles", "6"), ("Diamètre de barre", "Bar diameter", "32 mm")]),
    ],
    "Béton Bas Carbone Pays de la Loire": [
        ("product", "Prédalle en béton bas carbone",
         "Prédalles préfabriquées avec un ciment à faible teneur en clinker : 40 % de CO₂ en moins.",
         "Low-carbon precast floor slab",
         "Precast floor slabs made with low-clinker cement: 40% less CO₂.",
         ["construction", "ecological-transition"], ["iso-14001"], "681091", ["MA", "AE"], "200 m²", "4 semaines",
         [("Épaisseur", "Thickness", "5 à 12 cm"), ("Empreinte carbone", "Carbon footprint", "-40 % de CO₂")]),
    ],
    "Ossature Bois Vosges": [
        ("product", "Murs à ossature bois préfabriqués",
         "Murs isolés en fibre de bois, menuiseries posées en atelier, montage d'une maison en 3 jours.",
         "Prefabricated timber-frame walls",
         "Wood-fibre insulated walls with windows fitted in the workshop: a house goes up in three days.",
         ["construction"], ["iso-14001"], "940610", ["DE", "SE", "MA"], "1 bâtiment", "10 semaines",
         [("Résistance thermique", "Thermal resistance", "R = 6,5 m²·K/W")]),
    ],
    "Eau Pure Technologies": [
        ("product", "Unité compacte de potabilisation solaire",
         "Unité conteneurisée d'ultrafiltration alimentée par panneaux solaires, 20 m³ d'eau potable par jour.",
         "Compact solar water purification unit",
         "Containerised ultrafiltration unit powered by solar panels, 20 m³ of drinking water a day.",
         ["ecological-transition"], ["ce", "iso-14001"], "842121", ["MA", "AE", "IN", "BR"], "1 unité", "8 semaines",
         [("Débit", "Output", "20 m³/jour"), ("Énergie", "Energy", "Solaire, 6 kWc")]),
    ],
    "Recyclage Plastiques Auvergne": [
        ("product", "Ligne de recyclage de films plastiques",
         "Broyage, lavage et extrusion de films agricoles usagés en granulés réutilisables.",
         "Plastic film recycling line",
         "Shredding, washing and extrusion of used agricultural film into reusable pellets.",
         ["ecological-transition", "industry-4-0"], ["ce"], "847780", ["MA", "IN", "BR"], "1 ligne", "7 mois",
         [("Capacité", "Capacity", "500 kg/h")]),
    ],
    "Machines Seconde Vie": [
        ("product", "Centre d'usinage vertical reconditionné garanti 2 ans",
         "Centres d'usinage de grandes marques entièrement révisés : broche, glissières et commande numérique neuves.",
         "Refurbished vertical machining centre with 2-year warranty",
         "Major-brand machining centres fully overhauled: new spindle, slideways and CNC.",
         ["recycled-machines", "machine-tools"], ["ce"], "845710", ["MA", "IN", "BR", "DE"], "1 machine",
         "6 semaines", [("Course X", "X travel", "1 020 mm"), ("Garantie", "Warranty", "24 mois")]),
    ],
    "Presses Reconditionnées Champagne": [
        ("product", "Presse plieuse hydraulique remise à neuf",
         "Presses plieuses 100 à 400 tonnes, hydraulique et sécurités remises aux normes, formation incluse.",
         "Refurbished hydraulic press brake",
         "100 to 400-tonne press brakes with hydraulics and safety brought up to standard, training included.",
         ["recycled-machines"], ["ce"], "846221", ["MA", "BR"], "1 machine", "8 semaines",
         [("Force", "Force", "100 à 400 t"), ("Longueur de pliage", "Bending length", "3 à 6 m")]),
    ],
    "Jumeau Numérique Paris-Saclay": [
        ("service", "Jumeau numérique de ligne de production",
         "Modélisation 3D et simulation des flux d'une usine pour tester une nouvelle ligne avant de l'installer.",
         "Digital twin of a production line",
         "3D modelling and flow simulation of a plant to test a new line before installing it.",
         ["industry-4-0"], [], "", ["DE", "US", "AE"], "1 projet", "2 mois",
         [("Livrables", "Deliverables", "Modèle 3D, rapport de capacité")]),
    ],
    "Drones d'Inspection Bordeaux": [
        ("service", "Inspection d'ouvrages par drone",
         "Inspection de ponts, éoliennes et pylônes par drone avec rapport d'anomalies assisté par IA.",
         "Drone inspection of structures",
         "Drone inspection of bridges, wind turbines and pylons with an AI-assisted defect report.",
         ["aerospace", "construction"], ["iso-9001"], "", ["MA", "AE", "SE"], "1 ouvrage", "2 semaines",
         [("Résolution", "Resolution", "1 mm/pixel")]),
    ],
    "Hydrogène Vert Bourgogne": [
        ("product", "Électrolyseur PEM compact 100 kW",
         "Électrolyseur conteneurisé produisant 45 kg d'hydrogène vert par jour à partir d'électricité renouvelable.",
         "100 kW compact PEM electrolyser",
         "Containerised electrolyser producing 45 kg of green hydrogen a day from renewable power.",
         ["ecological-transition"], ["ce"], "854330", ["DE", "MA", "AE", "IN"], "1 unité", "9 mois",
         [("Production", "Output", "45 kg H₂/jour"), ("Pression", "Pressure", "30 bar")]),
    ],
    "Propulsion Marine Électrique Brest": [
        ("product", "Kit de propulsion hybride pour bateau de pêche",
         "Moteur électrique et batteries en parallèle du diesel : navigation au port et en zone protégée sans émission.",
         "Hybrid propulsion kit for fishing boats",
         "Electric motor and batteries alongside the diesel: zero-emission sailing in harbour and protected areas.",
         ["maritime", "ecological-transition"], ["bureau-veritas-marine", "ce"], "850152", ["SE", "MA", "BR"],
         "1 kit", "12 semaines", [("Puissance", "Power", "80 kW"), ("Batterie", "Battery", "120 kWh")]),
    ],
    "Stérilisation Médicale Centre": [
        ("product", "Autoclave hospitalier 400 litres",
         "Stérilisateur à vapeur pour services centraux de stérilisation, traçabilité des cycles intégrée.",
         "400-litre hospital autoclave",
         "Steam steriliser for central sterile services, with built-in cycle traceability.",
         ["medical-devices"], ["ce", "mdr", "iso-13485"], "841920", ["AE", "MA", "IN", "DE"], "1 appareil",
         "10 semaines", [("Volume", "Chamber volume", "400 L"), ("Cycle", "Cycle time", "45 min")]),
    ],
}

# English for the French quantities and values above; numbers and units are rewritten by _english().
ENGLISH_VALUES = {
    "1 appareil": "1 unit", "1 bâtiment": "1 building", "1 cellule": "1 cell", "1 ligne": "1 line",
    "1 navire": "1 vessel", "1 ouvrage": "1 structure", "1 pièce": "1 part", "1 projet": "1 project",
    "1 unité": "1 unit", "1 véhicule": "1 vehicle", "10 sondes": "10 probes", "100 patchs": "100 patches",
    "20 panneaux": "20 panels", "200 sièges": "200 seats", "50 pièces": "50 parts", "20 capteurs": "20 sensors",
    "1 palette (600 L)": "1 pallet (600 L)", "Rayonnement gamma": "Gamma irradiation", "5 ans": "5 years",
    "10, 30 et 60 cm": "10, 30 and 60 cm", "12 colis par minute": "12 cases per minute", "22 nœuds": "22 knots",
    "Bidons de 20 L": "20 L cans", "Titane Ti6Al4V": "Ti6Al4V titanium", "14 kg par place": "14 kg per seat",
    "-40 % de CO₂": "40% less CO₂", "Solaire, 6 kWc": "Solar, 6 kWp", "Modèle 3D, rapport de capacité":
    "3D model, capacity report", "1 plateforme": "1 platform", "75 ch": "75 hp",
}
_ENGLISH_WORDS = [
    (r"(\d) semaines?", r"\1 weeks"), (r"(\d) mois", r"\1 months"), (r"(\d) jours?", r"\1 days"),
    (r"(\d) heures", r"\1 hours"), (r"/jour\b", "/day"), (r" à ", " to "), (r"(\d),(\d)", r"\1.\2"),
    (r"(\d) (\d{3})\b", r"\1,\2"),
]


def _english(value: str) -> str:
    """The demo's English for a French quantity ("6 à 8 semaines" -> "6 to 8 weeks")."""
    import re

    if value in ENGLISH_VALUES:
        return ENGLISH_VALUES[value]
    for pattern, replacement in _ENGLISH_WORDS:
        value = re.sub(pattern, replacement, value)
    return value


BUYERS = {
    "Ahmed Al-Mansouri": ("Gulf Industrial Trading", "AE", "Industrial equipment distribution", "distribution",
                          "Head of sourcing", ["machine-tools", "industry-4-0", "recycled-machines"]),
    "Ingrid Johansson": ("Nordic Medical Supply", "SE", "Hospital equipment distribution", "purchasing",
                         "Procurement manager", ["medical-devices"]),
}

STORIES = [
    {"quote": "Grâce au Showroom France, nous avons signé notre premier distributeur aux Émirats en quatre mois.",
     "quote_en": "Thanks to Showroom France we signed our first distributor in the Emirates within four months.",
     "author": "Marc Lefèvre", "role": "Dirigeant, Usinage Précis Lyonnais",
     "role_en": "Managing director, Usinage Précis Lyonnais"},
    {"quote": "Les fiches produits en anglais et les filtres par certification nous font gagner des semaines de sourcing.",
     "quote_en": "English product sheets and certification filters save us weeks of sourcing.",
     "author": "Ingrid Johansson", "role": "Acheteuse, Nordic Medical Supply",
     "role_en": "Procurement manager, Nordic Medical Supply"},
]


def seed_catalogue(tenant, slug: str, people: dict[str, object]) -> None:
    """Fill the showroom programme's catalogue; other programmes are left alone."""
    if slug != "showroom":
        return
    from tenant_apps.catalogue.models import CatalogueSettings, Certification, SupportedCompany, Vertical
    from tenant_apps.directory.models import Company

    _open_catalogue_to_visitors(tenant)
    CatalogueSettings.objects.update_or_create(pk=1, defaults={"required_languages": ["en"]})
    verticals = _taxonomy(Vertical, [
        {"slug": key, "name": name, "name_en": name_en, "description_en": description_en}
        for key, name, name_en, description_en in VERTICALS
    ])
    certifications = _taxonomy(Certification, [
        {"slug": key, "name": name, "name_en": name_en, "issuer": issuer} for key, name, name_en, issuer in CERTIFICATIONS
    ])
    companies = {company.name: company for company in Company.objects.filter(name__in=list(PRODUCTS))}
    existing = set(SupportedCompany.objects.values_list("company_id", flat=True))
    SupportedCompany.objects.bulk_create([
        SupportedCompany(company=company, since=date(2026, 1, 15) + timedelta(days=7 * index))
        for index, company in enumerate(companies.values()) if company.pk not in existing
    ])
    _seed_products(companies, verticals, certifications)
    _compose_showroom(tenant, verticals)
    _seed_buyers(people, verticals)


def _taxonomy(model, rows: list[dict]) -> dict:
    """Create the entries missing by slug, in order; return every entry by slug (three queries)."""
    existing = set(model.objects.values_list("slug", flat=True))
    model.objects.bulk_create([model(position=position, **row) for position, row in enumerate(rows)
                               if row["slug"] not in existing])
    return {entry.slug: entry for entry in model.objects.all()}


def _seed_products(companies, verticals, certifications) -> None:
    from tenant_apps.catalogue.models import Product, ProductTranslation

    # Seeded once: the demo companies' own products say whether it was, so a programme
    # that already lists products of other companies still gets the demo catalogue.
    if Product.objects.filter(company__in=list(companies.values())).exists():
        return
    now = timezone.now()
    products, links = [], []
    for company_name, rows in PRODUCTS.items():
        company = companies.get(company_name)
        if company is None:
            continue
        for index, (kind, title, description, title_en, description_en, vertical_keys, certification_keys, hs_code,
                    countries, minimum_order, lead_time, specs) in enumerate(rows):
            product = Product(
                company=company, kind=kind, status=Product.Status.PUBLISHED, language="fr", title=title,
                description=description, specifications=[{"name": name, "value": value} for name, _en, value in specs],
                minimum_order=minimum_order, lead_time=lead_time, hs_code=hs_code, countries_served=sorted(countries),
                published_at=now - timedelta(days=3 * len(products) + index),
            )
            products.append(product)
            english_terms = (_english(minimum_order), _english(lead_time))
            links.append((product, title_en, description_en, [(en, _english(value)) for _fr, en, value in specs],
                          english_terms, vertical_keys, certification_keys))
    Product.objects.bulk_create(products)
    ProductTranslation.objects.bulk_create([
        ProductTranslation(product=product, language="en", title=title_en, description=description_en,
                           specifications=[{"name": name, "value": value} for name, value in specs],
                           minimum_order=terms[0], lead_time=terms[1])
        for product, title_en, description_en, specs, terms, _v, _c in links
    ])
    Product.verticals.through.objects.bulk_create([
        Product.verticals.through(product_id=product.pk, vertical_id=verticals[key].pk)
        for product, *_rest, vertical_keys, _c in links for key in vertical_keys
    ])
    Product.certifications.through.objects.bulk_create([
        Product.certifications.through(product_id=product.pk, certification_id=certifications[key].pk)
        for product, *_rest, certification_keys in links for key in certification_keys
    ])


def _compose_showroom(tenant, verticals) -> None:
    from tenant_apps.catalogue.models import Product, ShowroomBlock, ShowroomPage

    page, _ = ShowroomPage.objects.get_or_create(pk=1, defaults={
        "title": "Showroom France", "title_en": "Showroom France",
        "summary": "Les fournisseurs industriels français accompagnés par Business France, leurs produits et services.",
        "summary_en": "French industrial suppliers supported by Business France, their products and services.",
    })
    if page.blocks.exists():
        return
    Kind = ShowroomBlock.Kind
    blocks = [
        ShowroomBlock(page=page, kind=Kind.HERO, position=1,
                      heading="Le meilleur de l'industrie française, pour vos projets",
                      heading_en="The best of French industry, for your projects",
                      body="<p>Des fournisseurs vérifiés dans dix filières, des fiches produits en anglais et un contact direct.</p>",
                      body_en="<p>Verified suppliers in ten industries, product sheets in English and a direct line to them.</p>",
                      link_url="/catalogue/", link_label="Voir les produits", link_label_en="Browse the products"),
        ShowroomBlock(page=page, kind=Kind.VERTICALS, position=2, heading="Nos filières", heading_en="Our industries"),
        ShowroomBlock(page=page, kind=Kind.FEATURED_PRODUCTS, position=3, heading="Produits à la une",
                      heading_en="Featured products"),
        ShowroomBlock(page=page, kind=Kind.FEATURED_COMPANIES, position=4, heading="Entreprises accompagnées",
                      heading_en="Supported companies"),
        ShowroomBlock(page=page, kind=Kind.STORIES, position=5, heading="Ils en parlent", heading_en="Success stories",
                      items=STORIES),
        ShowroomBlock(page=page, kind=Kind.RICH_TEXT, position=6, heading="Qui sommes-nous ?", heading_en="About us",
                      body="<p>Business France accompagne les entreprises françaises à l'international et fait connaître "
                           "leur offre aux acheteurs étrangers.</p>",
                      body_en="<p>Business France helps French companies grow abroad and introduces their offer to "
                              "foreign buyers. Every supplier in this showroom is supported by our sector teams.</p>"),
        ShowroomBlock(page=page, kind=Kind.CALL_TO_ACTION, position=7, heading="Acheteur professionnel ?",
                      heading_en="Professional buyer?",
                      body="<p>Créez votre compte pour enregistrer des produits et contacter les fournisseurs.</p>",
                      body_en="<p>Create your account to save products and contact suppliers.</p>",
                      link_url="/catalogue/buyers/register/", link_label="Créer un compte acheteur",
                      link_label_en="Register as a buyer"),
    ]
    ShowroomBlock.objects.bulk_create(blocks)
    featured = list(Product.objects.filter(status=Product.Status.PUBLISHED).order_by("-published_at")[:4])
    blocks[2].products.set(featured)


def _seed_buyers(people, verticals) -> None:
    from tenant_apps.catalogue.models import BuyerProfile, Product, SavedProduct

    for full_name, (company, country, sector, job_role, job_title, interests) in BUYERS.items():
        user = people.get(full_name)
        if user is None or BuyerProfile.objects.filter(user=user).exists():
            continue
        profile = BuyerProfile.objects.create(
            user=user, company_name=company, country=country, sector=sector, job_role=job_role, job_title=job_title,
            opted_in_marketing=True, marketing_opt_in_at=timezone.now(),
        )
        profile.interests.set([verticals[key] for key in interests])
        wanted = Product.objects.filter(verticals__slug__in=interests).distinct().order_by("pk")[:3]
        SavedProduct.objects.bulk_create([SavedProduct(user=user, product=product) for product in wanted],
                                         ignore_conflicts=True)


def _open_catalogue_to_visitors(tenant) -> None:
    """Foreign buyers browse the showroom's catalogue before registering, like its directory."""
    granted = tenant.role_matrix.get("visitor", [])
    if "catalogue.view" not in granted:
        tenant.role_matrix["visitor"] = sorted([*granted, "catalogue.view"])
        tenant.save(update_fields=["role_matrix"])
