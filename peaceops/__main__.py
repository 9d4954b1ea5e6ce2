from peaceops.cli import main

# Guarded, as a main module should be: multiprocessing may import it again under another name.
if __name__ == "__main__":
    main()
