"""Demo directory content: each programme's sectors, companies and experts.

Idempotent: sectors are matched by slug, companies by name, so a second run adds nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

# (name, English name, sub-sectors as (name, English name))
SECTORS = {
    "francophonie": [
        ("Agroalimentaire", "Agrifood", [("Cacao et café", "Cocoa and coffee"), ("Fruits et légumes transformés", "Processed fruit and vegetables"),
                                         ("Produits laitiers", "Dairy products")]),
        ("Cosmétique et bien-être", "Cosmetics and wellness", [("Karité et huiles végétales", "Shea and plant oils")]),
        ("Textile et habillement", "Textiles and clothing", [("Coton et tissage", "Cotton and weaving")]),
        ("Services numériques", "Digital services", [("Logiciels", "Software"), ("Paiement mobile", "Mobile payments")]),
        ("Artisanat", "Crafts", []),
        ("Tourisme", "Tourism", []),
        ("Énergies renouvelables", "Renewable energy", [("Solaire", "Solar")]),
        ("BTP et construction", "Construction", []),
        ("Industries culturelles", "Cultural industries", []),
    ],
    "showroom": [
        ("Industrie du futur", "Industry 4.0", [("Robotique", "Robotics"), ("Capteurs et IoT industriel", "Sensors and industrial IoT")]),
        ("Agroéquipements et intrants", "Agricultural equipment and inputs", []),
        ("Dispositifs médicaux", "Medical devices", []),
        ("Aéronautique et spatial", "Aerospace", []),
        ("Maritime", "Maritime", []),
        ("Transports terrestres", "Land transport", []),
        ("Machines-outils", "Machine tools", []),
        ("Construction", "Construction", []),
        ("Transition écologique", "Ecological transition", [("Eau et déchets", "Water and waste")]),
        ("Machines reconditionnées", "Recycled machines", []),
    ],
}

# (name, country, city, sector slug source name, size, export stage, description, products)
COMPANIES = {
    "francophonie": [
        ("Karité d'Or SARL", "BF", "Bobo-Dioulasso", "Karité et huiles végétales", "small", "growing", "Coopérative de femmes transformant le karité en beurre et cosmétiques certifiés bio.", "Beurre de karité brut et raffiné, savons, baumes"),
        ("Atlas Agro", "MA", "Agadir", "Fruits et légumes transformés", "medium", "experienced", "Conditionnement et export d'agrumes et de légumes du Souss.", "Agrumes, tomates cerises, légumes surgelés"),
        ("Fromagerie du Saguenay", "CA", "Saguenay", "Produits laitiers", "small", "growing", "Fromages fins au lait cru de la région du Saguenay–Lac-Saint-Jean.", "Fromages à pâte ferme, fromages en grains"),
        ("Coopérative Cacao d'Abidjan", "CI", "Abidjan", "Cacao et café", "medium", "experienced", "Coopérative de 1 200 planteurs engagée dans le cacao durable et tracé.", "Fèves de cacao certifiées, masse et beurre de cacao"),
        ("Tunis Textiles", "TN", "Monastir", "Coton et tissage", "medium", "experienced", "Confection de vêtements de travail et de prêt-à-porter pour marques européennes.", "Vêtements de travail, jeans, tricots"),
        ("Sénégal Fruits Export", "SN", "Thiès", "Fruits et légumes transformés", "small", "growing", "Mangues et bissap séchés, jus naturels.", "Mangues séchées, sirop de bissap"),
        ("Dakar Digital Services", "SN", "Dakar", "Logiciels", "small", "first_time", "Studio de développement d'applications web et mobiles.", "Applications mobiles, plateformes e-commerce"),
        ("Wave Pay Bénin", "BJ", "Cotonou", "Paiement mobile", "micro", "first_time", "Solutions de paiement mobile pour commerçants.", "Terminal de paiement mobile, API marchands"),
        ("Soleil du Sahel", "BF", "Ouagadougou", "Solaire", "small", "growing", "Installation de kits solaires pour sites isolés.", "Kits solaires, pompage solaire"),
        ("Cameroun Bois & Design", "CM", "Douala", "Artisanat", "small", "growing", "Mobilier design en bois certifié FSC.", "Mobilier, objets de décoration"),
        ("Kinshasa Construction Moderne", "CD", "Kinshasa", "BTP et construction", "medium", "first_time", "Entreprise générale de bâtiment et de travaux publics.", "Bâtiments, routes, ouvrages d'art"),
        ("Vanille de Madagascar SA", "MG", "Antalaha", "Agroalimentaire", "small", "experienced", "Vanille Bourbon préparée et exportée depuis la région SAVA.", "Gousses de vanille, extraits"),
        ("Chocolaterie Belge Artisanale", "BE", "Liège", "Cacao et café", "small", "experienced", "Pralines artisanales à partir de cacao d'Afrique de l'Ouest.", "Pralines, tablettes"),
        ("Helvétia Précision Horlogère", "CH", "La Chaux-de-Fonds", "Artisanat", "small", "experienced", "Composants horlogers de haute précision.", "Cadrans, aiguilles"),
        ("Haïti Café Coop", "HT", "Jacmel", "Cacao et café", "micro", "first_time", "Café arabica des mornes haïtiens, torréfié sur place.", "Café vert et torréfié"),
        ("Saïgon Soie", "VN", "Hô Chi Minh-Ville", "Coton et tissage", "small", "growing", "Tissage de soie et foulards faits main.", "Foulards, étoffes de soie"),
        ("Marrakech Argan Bio", "MA", "Marrakech", "Karité et huiles végétales", "small", "growing", "Huile d'argan biologique pressée par une coopérative féminine.", "Huile d'argan cosmétique et alimentaire"),
        ("Tunisie Solaire Ingénierie", "TN", "Sfax", "Solaire", "medium", "growing", "Centrales photovoltaïques clés en main.", "Études, EPC, maintenance"),
        ("Abidjan Tech Hub", "CI", "Abidjan", "Logiciels", "small", "first_time", "Logiciels de gestion pour PME africaines.", "ERP, comptabilité en ligne"),
        ("Lodge du Pays Dogon", "ML", "Bandiagara", "Tourisme", "micro", "first_time", "Écotourisme et séjours culturels.", "Séjours, circuits"),
        ("Éditions Québec Francophone", "CA", "Montréal", "Industries culturelles", "small", "growing", "Maison d'édition jeunesse.", "Livres jeunesse, droits de traduction"),
        ("Cotonou Textile Wax", "BJ", "Cotonou", "Coton et tissage", "small", "growing", "Impression de tissus wax.", "Wax, pagnes"),
        ("Yaoundé Cosmétiques Naturels", "CM", "Yaoundé", "Cosmétique et bien-être", "micro", "first_time", "Soins capillaires aux plantes d'Afrique centrale.", "Shampoings, huiles"),
        ("Genève Conseil Tourisme Durable", "CH", "Genève", "Tourisme", "micro", "experienced", "Conseil en tourisme responsable.", "Études, formation"),
        ("Bruxelles Numérique Sud", "BE", "Bruxelles", "Services numériques", "small", "growing", "Intégration de solutions cloud pour l'Afrique francophone.", "Cloud, cybersécurité"),
    ],
    "showroom": [
        ("Usinage Précis Lyonnais", "FR", "Lyon", "Machines-outils", "small", "experienced", "Usinage de précision 5 axes pour l'aéronautique et le médical.", "Pièces usinées, prototypes"),
        ("AgriTech Beauce", "FR", "Chartres", "Agroéquipements et intrants", "small", "growing", "Capteurs et logiciels d'agriculture de précision.", "Capteurs de sol, modulation de dose"),
        ("MedSensor Grenoble", "FR", "Grenoble", "Dispositifs médicaux", "small", "growing", "Capteurs médicaux connectés pour la télésurveillance.", "Patchs ECG, plateforme de suivi"),
        ("Aéro Composites Toulouse", "FR", "Toulouse", "Aéronautique et spatial", "medium", "experienced", "Pièces en composite pour aérostructures.", "Panneaux, carénages"),
        ("Robotique Alsace", "FR", "Mulhouse", "Robotique", "small", "growing", "Cellules robotisées de palettisation.", "Cellules robotisées, cobots"),
        ("Capteurs Bretagne Industrie", "FR", "Rennes", "Capteurs et IoT industriel", "small", "growing", "Capteurs IoT pour la maintenance prédictive.", "Capteurs vibratoires, passerelles"),
        ("Chantiers Navals de l'Atlantique Sud", "FR", "La Rochelle", "Maritime", "medium", "experienced", "Construction de navires de servitude en aluminium.", "Navettes, baliseurs"),
        ("Tracteurs Normands", "FR", "Caen", "Agroéquipements et intrants", "medium", "experienced", "Matériel de fenaison et d'élevage.", "Faucheuses, andaineurs"),
        ("Bioferti Occitanie", "FR", "Montpellier", "Agroéquipements et intrants", "small", "first_time", "Biostimulants et engrais organiques.", "Biostimulants, amendements"),
        ("Orthopédie Innovante Lille", "FR", "Lille", "Dispositifs médicaux", "small", "growing", "Implants orthopédiques sur mesure imprimés en 3D.", "Implants, guides chirurgicaux"),
        ("Satellites Légers Provence", "FR", "Cannes", "Aéronautique et spatial", "small", "growing", "Nanosatellites et sous-systèmes.", "Plateformes CubeSat"),
        ("Bus Électriques du Rhône", "FR", "Villeurbanne", "Transports terrestres", "medium", "growing", "Minibus électriques urbains.", "Minibus 22 places"),
        ("Ferroviaire Hauts-de-France", "FR", "Valenciennes", "Transports terrestres", "large", "experienced", "Équipements ferroviaires et aménagements intérieurs.", "Sièges, portes"),
        ("Tours et Centres d'Usinage Savoie", "FR", "Cluses", "Machines-outils", "medium", "experienced", "Tours automatiques pour le décolletage.", "Tours multibroches"),
        ("Béton Bas Carbone Pays de la Loire", "FR", "Nantes", "Construction", "small", "growing", "Bétons bas carbone et préfabrication.", "Prédalles, blocs"),
        ("Ossature Bois Vosges", "FR", "Épinal", "Construction", "small", "first_time", "Maisons et bâtiments à ossature bois.", "Murs préfabriqués"),
        ("Eau Pure Technologies", "FR", "Aix-en-Provence", "Eau et déchets", "small", "growing", "Unités de traitement d'eau compactes.", "Potabilisation, réutilisation"),
        ("Recyclage Plastiques Auvergne", "FR", "Clermont-Ferrand", "Transition écologique", "small", "growing", "Lignes de recyclage des plastiques.", "Broyeurs, extrudeuses"),
        ("Machines Seconde Vie", "FR", "Saint-Étienne", "Machines reconditionnées", "small", "experienced", "Reconditionnement de machines-outils garanties.", "Centres d'usinage reconditionnés"),
        ("Presses Reconditionnées Champagne", "FR", "Reims", "Machines reconditionnées", "micro", "growing", "Presses hydrauliques remises à neuf.", "Presses, plieuses"),
        ("Jumeau Numérique Paris-Saclay", "FR", "Palaiseau", "Industrie du futur", "small", "first_time", "Logiciels de jumeau numérique d'usine.", "Simulation, supervision"),
        ("Drones d'Inspection Bordeaux", "FR", "Mérignac", "Aéronautique et spatial", "small", "growing", "Drones d'inspection d'ouvrages.", "Drones, analyses"),
        ("Hydrogène Vert Bourgogne", "FR", "Dijon", "Transition écologique", "small", "first_time", "Électrolyseurs compacts.", "Électrolyseurs, stations"),
        ("Propulsion Marine Électrique Brest", "FR", "Brest", "Maritime", "small", "growing", "Moteurs électriques pour bateaux de pêche.", "Propulsion hybride"),
        ("Stérilisation Médicale Centre", "FR", "Orléans", "Dispositifs médicaux", "medium", "experienced", "Autoclaves et laveurs-désinfecteurs.", "Autoclaves hospitaliers"),
    ],
}

TARGETS = {"francophonie": ["FR", "BE", "CA", "CH", "SN", "CI"], "showroom": ["DE", "US", "AE", "MA", "SE", "BR", "IN"]}
LANGUAGES = {"francophonie": ["fr"], "showroom": ["fr", "en"]}
EXPERT_PROFILES = {
    "Dr Patrice Mbemba": ("Conseil en stratégie export pour l'Afrique centrale", ["CD", "CG", "CM", "GA"], ["fr", "ln"]),
    "Philippe Bernard": ("Export advisor for industrial SMEs", ["DE", "US", "AE"], ["fr", "en"]),
}


def seed_directory(tenant, slug: str, people: dict[str, object]) -> None:
    """Fill ``tenant``'s directory; ``people`` maps demo organisation names and full names to users."""
    from tenant_apps.directory.models import Company, DirectorySettings, ExpertProfile, Representative, Sector

    _grant_profile_editing(tenant)
    # Foreign buyers browse the showroom without an account; the francophone network is for members.
    if not DirectorySettings.objects.filter(pk=1).update(is_public=slug == "showroom"):
        DirectorySettings.objects.create(pk=1, is_public=slug == "showroom")
    if Company.objects.exists():
        return
    sectors = {}
    for position, (name, name_en, subs) in enumerate(SECTORS[slug]):
        top, _ = Sector.objects.get_or_create(slug=slugify(name), defaults={"name": name, "name_en": name_en, "position": position})
        sectors[name] = top
        for sub_position, (sub, sub_en) in enumerate(subs):
            sectors[sub], _ = Sector.objects.get_or_create(
                slug=slugify(sub), defaults={"name": sub, "name_en": sub_en, "parent": top, "position": sub_position})
    now = timezone.now()
    companies = []
    for index, (name, country, city, sector, size, stage, description, products) in enumerate(COMPANIES[slug]):
        verified = index % 3 == 0
        companies.append(Company(
            name=name, legal_name=name, country=country, city=city, sector=sectors[sector], size=size, export_stage=stage,
            description=description, products_services=products, target_markets=[c for c in TARGETS[slug] if c != country][:3],
            languages=LANGUAGES[slug], website=f"https://www.{slugify(name)[:40]}.example",
            email=f"contact@{slugify(name)[:40]}.example", visibility=Company.Visibility.PUBLIC if index % 5 else Company.Visibility.MEMBERS,
            is_recommended=index % 4 == 0, verified_at=now - timedelta(days=30) if verified else None,
            verification_expires_at=now + timedelta(days=335) if verified else None,
        ))
    Company.objects.bulk_create(companies)
    representatives = []
    for company in Company.objects.all():
        owner = next((user for organisation, user in people.items() if organisation.startswith(company.name)), None)
        if owner is not None:
            representatives.append(Representative(company=company, user=owner, is_owner=True))
    Representative.objects.bulk_create(representatives)
    for full_name, (headline, countries, languages) in EXPERT_PROFILES.items():
        user = people.get(full_name)
        if user is not None:
            profile, _ = ExpertProfile.objects.get_or_create(
                user=user, defaults={"headline": headline, "countries": countries, "languages": languages,
                                     "visibility": "public", "is_recommended": True,
                                     "bio": headline + "."})
            profile.sectors.set(list(sectors.values())[:2])


def _grant_profile_editing(tenant) -> None:
    """Demo programmes created before profiles existed get the new permission for their roles."""
    changed = False
    for role in ("company_rep", "expert"):
        granted = tenant.role_matrix.get(role, [])
        if "profiles.edit_own" not in granted:
            tenant.role_matrix[role] = sorted([*granted, "profiles.edit_own"])
            changed = True
    if changed:
        tenant.save(update_fields=["role_matrix"])
